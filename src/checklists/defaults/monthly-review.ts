// MAINTENANCE GUIDE → MONTHLY MAINTENANCE TASKS → First Monday of Month (9:00 AM - 2 hours).
import type { ChecklistDef } from '../types';
import { MONTH_COMPARISONS, figure } from './helpers';

const month = { compareTo: MONTH_COMPARISONS };

export const monthlyReviewChecklist: ChecklistDef = {
  id: 'monthly-review',
  name: 'Monthly review',
  aliases: ['monthly'],
  schedule: '0 9 * * 1#1',
  durationMinutes: 120,
  // The guide's owner is "Operations Manager + Technical Lead": one role is
  // accountable for the run, the other is a co-owner who can sign everything.
  ownerRole: 'ops-manager',
  coOwnerRoles: ['tech-lead'],
  channel: 'ops',
  notes: [
    'Owner per the guide: Operations Manager + Technical Lead.',
    'Section 6 (Backup Testing) is the restore test the guide repeats as the last-Friday DR test; both are kept.',
  ],
  sections: [
    {
      id: 'performance',
      title: 'Monthly Performance Review',
      items: [
        {
          id: 'monthly-performance',
          title: 'Review last 30 days',
          checks: ['Login to Business Owner App → Monthly Report', 'Compare to: previous month, same month last year', 'Annual target (on track?)'],
          figures: [
            figure('total-leads', 'Total leads', 'count', month),
            figure('total-bookings', 'Total bookings', 'count', month),
            figure('conversion-rate', 'Conversion rate', 'percent', { ...month, target: '> 25%' }),
            figure('total-revenue', 'Total revenue', 'money', { ...month, target: 'growth > 10% MoM' }),
            figure('total-profit', 'Total profit', 'money', month),
            figure('roi', 'ROI', 'percent', month),
            figure('cpl', 'CPL', 'money', { ...month, target: '< $20' }),
          ],
        },
      ],
    },
    {
      id: 'financial',
      title: 'Financial Review',
      items: [
        {
          id: 'costs',
          title: 'Review all costs',
          checks: ['Google Ads', 'Twilio', 'GHL', 'AWS', 'Stripe fees', 'Mobile app hosting', 'Other', 'Total'],
          figures: [
            figure('cost-google-ads', 'Google Ads', 'money'),
            figure('cost-twilio', 'Twilio', 'money'),
            figure('cost-ghl', 'GHL', 'money'),
            figure('cost-aws', 'AWS', 'money'),
            figure('cost-stripe-fees', 'Stripe fees', 'money'),
            figure('cost-app-hosting', 'Mobile app hosting', 'money'),
            figure('cost-other', 'Other', 'money'),
            figure('cost-total', 'Total', 'money', month),
          ],
          restrictedTo: ['ops-manager', 'ceo'],
        },
        {
          id: 'financial-ratios',
          title: 'Calculate',
          checks: ['Cost as % of revenue', 'Profit margin', 'Break-even point'],
          figures: [
            figure('cost-percent-of-revenue', 'Cost as % of revenue', 'percent', month),
            figure('profit-margin', 'Profit margin', 'percent', month),
            figure('break-even', 'Break-even point', 'money'),
          ],
          restrictedTo: ['ops-manager', 'ceo'],
        },
      ],
    },
    {
      id: 'ai-agents',
      title: 'AI Agent Deep Dive',
      items: [
        {
          id: 'monitor-agent',
          title: 'Monitor Agent',
          checks: ['Total issues detected', 'False positives', 'False negatives', 'Average detection time', 'Accuracy'],
          figures: [
            figure('monitor-issues', 'Total issues detected', 'count'),
            figure('monitor-false-positives', 'False positives', 'percent'),
            figure('monitor-false-negatives', 'False negatives', 'percent'),
            figure('monitor-detection-time', 'Average detection time', 'minutes'),
            figure('monitor-accuracy', 'Accuracy', 'percent', { target: '>= 90%' }),
          ],
        },
        {
          id: 'diagnostic-agent',
          title: 'Diagnostic Agent',
          checks: ['Total diagnoses', 'Correct diagnoses', 'Average diagnosis time', 'Most common root causes'],
          figures: [
            figure('diagnostic-total', 'Total diagnoses', 'count'),
            figure('diagnostic-correct', 'Correct diagnoses', 'percent', { target: '>= 90%' }),
            figure('diagnostic-time', 'Average diagnosis time', 'minutes'),
            figure('diagnostic-root-causes', 'Most common root causes', 'text'),
          ],
        },
        {
          id: 'optimizing-agent',
          title: 'Optimizing Agent',
          checks: ['Total optimizations', 'Successful optimizations', 'Failed optimizations', 'Total value created', 'ROI'],
          figures: [
            figure('optimizing-total', 'Total optimizations', 'count'),
            figure('optimizing-successful', 'Successful optimizations', 'percent'),
            figure('optimizing-failed', 'Failed optimizations', 'percent'),
            figure('optimizing-value', 'Total value created', 'money'),
            figure('optimizing-roi', 'ROI', 'percent'),
          ],
        },
        {
          id: 'ai-actions',
          title: 'AI agent actions',
          checks: ['Retrain models if accuracy <90%', 'Adjust thresholds if needed', 'Update prompts if needed'],
          restrictedTo: ['tech-lead', 'cto'],
        },
      ],
    },
    {
      id: 'security',
      title: 'Security Audit',
      items: [
        {
          id: 'access-control',
          title: 'Access Control',
          checks: [
            'Review user accounts (remove inactive)',
            'Review API keys (rotate if >90 days old)',
            'Review permissions (principle of least privilege)',
            'Check for unauthorized access attempts',
          ],
          restrictedTo: ['tech-lead', 'cto'],
        },
        {
          id: 'data-protection',
          title: 'Data Protection',
          checks: ['Verify encryption enabled', 'Check backup integrity', 'Test disaster recovery', 'Review data retention policy'],
          restrictedTo: ['tech-lead', 'cto'],
        },
        {
          id: 'compliance',
          title: 'Compliance',
          checks: ['GDPR compliance check', 'PCI DSS compliance (for payments)', 'HIPAA compliance (if applicable)', 'Update privacy policy if needed'],
          target: 'security compliance 100%',
        },
      ],
    },
    {
      id: 'updates',
      title: 'System Updates',
      items: [
        {
          id: 'check-updates',
          title: 'Check for updates',
          checks: ['Mobile app updates available?', 'GHL platform updates?', 'AWS service updates?', 'Third-party integrations updates?'],
        },
        {
          id: 'schedule-updates',
          title: 'Schedule updates',
          checks: ['Non-critical: Next maintenance window', 'Security: Within 7 days', 'Critical: Immediately'],
        },
      ],
    },
    {
      id: 'backup-testing',
      title: 'Backup Testing',
      items: [
        {
          id: 'backup-restore-test',
          title: 'Test disaster recovery',
          checks: [
            'Select random backup from last month',
            'Restore to test environment',
            'Verify all data intact',
            'Test all functionality',
            'Document results',
            'Backup restoration: Success/Fail',
            'Functionality: All working',
          ],
          target: 'restoration succeeds, data integrity 100%, restore < 1 hour',
          figures: [
            figure('data-integrity', 'Data integrity', 'percent', { target: '100%' }),
            figure('time-to-restore', 'Time to restore', 'minutes', { target: '< 60 min' }),
          ],
          severityOnProblem: 'p1',
        },
      ],
    },
    {
      id: 'feedback',
      title: 'Customer Feedback Analysis',
      items: [
        {
          id: 'reviews',
          title: 'Reviews from last month',
          checks: ['Total reviews', 'Average rating', '5-star', '4-star', '3-star', '2-star', '1-star'],
          figures: [
            figure('total-reviews', 'Total reviews', 'count', month),
            figure('average-rating', 'Average rating', 'rating', { ...month, target: '> 4.5' }),
            figure('five-star', '5-star', 'percent'),
            figure('four-star', '4-star', 'percent'),
            figure('three-star', '3-star', 'percent'),
            figure('two-star', '2-star', 'percent'),
            figure('one-star', '1-star', 'percent'),
          ],
        },
        {
          id: 'feedback-themes',
          title: 'Common themes',
          checks: ['Positive', 'Negative'],
          figures: [figure('themes-positive', 'Positive', 'text'), figure('themes-negative', 'Negative', 'text')],
        },
        {
          id: 'feedback-actions',
          title: 'Feedback action items',
          checks: ['Address common complaints', 'Amplify what customers love', 'Update training based on feedback'],
        },
      ],
    },
    {
      id: 'capacity',
      title: 'Capacity Planning',
      items: [
        {
          id: 'forecast',
          title: 'Forecast next month',
          checks: ['Expected leads', 'Expected bookings', 'Expected revenue'],
          figures: [
            figure('expected-leads', 'Expected leads', 'count'),
            figure('expected-bookings', 'Expected bookings', 'count'),
            figure('expected-revenue', 'Expected revenue', 'money'),
          ],
        },
        {
          id: 'capacity-check',
          title: 'Capacity check',
          checks: ['Technician capacity: Adequate/Need more', 'System capacity: Adequate/Need upgrade', 'Budget capacity: Adequate/Need increase'],
        },
        {
          id: 'capacity-actions',
          title: 'Capacity actions',
          checks: ['Hire more technicians if needed', 'Upgrade systems if needed', 'Adjust budget if needed'],
        },
      ],
    },
  ],
};
