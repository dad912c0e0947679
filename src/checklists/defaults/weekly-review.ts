// MAINTENANCE GUIDE → WEEKLY MAINTENANCE TASKS → Monday Morning (9:00 AM - 30 minutes).
import type { ChecklistDef } from '../types';
import { WEEK_COMPARISONS, figure } from './helpers';

const week = { compareTo: WEEK_COMPARISONS };

export const weeklyReviewChecklist: ChecklistDef = {
  id: 'weekly-review',
  name: 'Monday weekly review',
  aliases: ['monday', 'weekly'],
  schedule: '0 9 * * 1',
  durationMinutes: 30,
  ownerRole: 'ops-manager',
  channel: 'ops',
  sections: [
    {
      id: 'performance',
      title: 'Weekly Performance Review',
      items: [
        {
          id: 'weekly-performance',
          title: 'Review last 7 days',
          checks: ['Login to Business Owner App → Weekly Report', 'Compare to: previous week, same week last month, same week last year'],
          figures: [
            figure('total-leads', 'Total leads', 'count', week),
            // Targets from the guide's SUCCESS METRICS (CPL < $20, conversion > 25%).
            figure('conversion-rate', 'Conversion rate', 'percent', { ...week, target: '> 25%' }),
            figure('cpl', 'CPL', 'money', { ...week, target: '< $20' }),
            figure('revenue', 'Revenue', 'money', week),
            figure('profit-margin', 'Profit margin', 'percent', week),
          ],
        },
      ],
    },
    {
      id: 'ai-agents',
      title: 'AI Agent Performance Review',
      items: [
        {
          id: 'monitor-agent',
          title: 'Monitor Agent',
          checks: ['Issues detected', 'Alerts sent', 'Response time (minutes)'],
          figures: [
            figure('monitor-issues-detected', 'Issues detected', 'count'),
            figure('monitor-alerts-sent', 'Alerts sent', 'count'),
            figure('monitor-response-time', 'Response time', 'minutes'),
          ],
        },
        {
          id: 'diagnostic-agent',
          title: 'Diagnostic Agent',
          checks: ['Root causes identified', 'Accuracy rate (%)', 'Time to diagnosis (minutes)'],
          figures: [
            figure('diagnostic-root-causes', 'Root causes identified', 'count'),
            figure('diagnostic-accuracy', 'Accuracy rate', 'percent'),
            figure('diagnostic-time', 'Time to diagnosis', 'minutes'),
          ],
        },
        {
          id: 'optimizing-agent',
          title: 'Optimizing Agent',
          checks: ['Changes implemented', 'Success rate (%)', 'ROI of changes ($)'],
          figures: [
            figure('optimizing-changes', 'Changes implemented', 'count'),
            figure('optimizing-success-rate', 'Success rate', 'percent'),
            figure('optimizing-roi', 'ROI of changes', 'money'),
          ],
        },
      ],
    },
    {
      id: 'google-ads',
      title: 'Google Ads Campaign Review',
      items: [
        {
          id: 'ads-metrics',
          title: 'Google Ads, last 7 days',
          checks: ['Login to Google Ads', 'Impressions', 'Clicks', 'CTR', 'Conversions', 'Cost', 'CPL'],
          figures: [
            figure('ads-impressions', 'Impressions', 'count', week),
            figure('ads-clicks', 'Clicks', 'count', week),
            figure('ads-ctr', 'CTR', 'percent', week),
            figure('ads-conversions', 'Conversions', 'count', week),
            figure('ads-cost', 'Cost', 'money', week),
            figure('ads-cpl', 'CPL', 'money', { ...week, target: '< $20' }),
          ],
        },
        {
          id: 'ads-actions',
          title: 'Google Ads actions',
          checks: ['Pause underperforming ads', 'Increase budget for top performers', 'Add negative keywords', 'Test new ad copy'],
        },
      ],
    },
    {
      id: 'ghl-workflows',
      title: 'GHL Workflow Performance',
      items: [
        {
          id: 'missed-call-recovery',
          title: 'Missed Call Recovery',
          checks: ['Login to GHL → Workflows → Analytics', 'Triggered (times)', 'Completion rate (%)', 'Bookings generated'],
          figures: [
            figure('mcr-triggered', 'Triggered', 'count'),
            figure('mcr-completion-rate', 'Completion rate', 'percent'),
            figure('mcr-bookings', 'Bookings generated', 'count'),
          ],
        },
        {
          id: 'offer-quote',
          title: 'Offer/Quote',
          checks: ['Sent (quotes)', 'Acceptance rate (%)', 'Average quote value ($)'],
          figures: [
            figure('quotes-sent', 'Quotes sent', 'count'),
            figure('quote-acceptance-rate', 'Acceptance rate', 'percent'),
            figure('average-quote-value', 'Average quote value', 'money'),
          ],
        },
        {
          id: 'booking-confirmation',
          title: 'Booking Confirmation',
          checks: ['Sent (confirmations)', 'Show-up rate (%)'],
          figures: [figure('confirmations-sent', 'Confirmations sent', 'count'), figure('show-up-rate', 'Show-up rate', 'percent')],
        },
        {
          id: 'post-job-review',
          title: 'Post-Job Review',
          checks: ['Requests sent', 'Reviews received', 'Average rating'],
          figures: [
            figure('review-requests-sent', 'Requests sent', 'count'),
            figure('reviews-received', 'Reviews received', 'count'),
            figure('review-average-rating', 'Average rating', 'rating'),
          ],
        },
        {
          id: 'amc-offer',
          title: 'AMC Offer',
          checks: ['Offers sent', 'Conversion rate (%)', 'Revenue ($)'],
          figures: [
            figure('amc-offers-sent', 'Offers sent', 'count'),
            figure('amc-conversion-rate', 'Conversion rate', 'percent'),
            figure('amc-revenue', 'Revenue', 'money'),
          ],
        },
      ],
    },
    {
      id: 'mobile-apps',
      title: 'Mobile App Analytics',
      items: [
        {
          id: 'technician-app',
          title: 'Technician App',
          checks: ['Login to Firebase Analytics (last 7 days)', 'Active users', 'Session duration (minutes)', 'Crash rate (%)'],
          figures: [
            figure('technician-app-users', 'Active users', 'count'),
            figure('technician-app-session', 'Session duration', 'minutes'),
            figure('technician-app-crash-rate', 'Crash rate', 'percent', { target: '< 1%' }),
          ],
        },
        {
          id: 'customer-app',
          title: 'Customer App',
          checks: ['Active users', 'Bookings made', 'Crash rate (%)'],
          figures: [
            figure('customer-app-users', 'Active users', 'count'),
            figure('customer-app-bookings', 'Bookings made', 'count'),
            figure('customer-app-crash-rate', 'Crash rate', 'percent', { target: '< 1%' }),
          ],
        },
        {
          id: 'business-owner-app',
          title: 'Business Owner App',
          checks: ['Active users', 'Most used features', 'Crash rate (%)'],
          figures: [
            figure('owner-app-users', 'Active users', 'count'),
            figure('owner-app-top-features', 'Most used features', 'text'),
            figure('owner-app-crash-rate', 'Crash rate', 'percent', { target: '< 1%' }),
          ],
        },
      ],
    },
  ],
};
