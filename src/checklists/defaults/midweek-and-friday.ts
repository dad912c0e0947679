// MAINTENANCE GUIDE → WEEKLY MAINTENANCE TASKS → Wednesday Afternoon and Friday Afternoon.
import type { ChecklistDef } from '../types';
import { figure } from './helpers';

export const midweekChecklist: ChecklistDef = {
  id: 'midweek-check',
  name: 'Wednesday mid-week check',
  aliases: ['wednesday', 'midweek'],
  schedule: '0 14 * * 3',
  durationMinutes: 20,
  ownerRole: 'ops-manager',
  channel: 'ops',
  sections: [
    {
      id: 'midweek',
      title: 'Mid-Week Check-In',
      items: [
        {
          id: 'weekly-goals',
          title: 'Review progress toward weekly goals',
          checks: ['On track for lead target?', 'On track for revenue target?', 'Any issues emerging?', 'Need to adjust strategy?'],
        },
      ],
    },
    {
      id: 'technicians',
      title: 'Technician Performance Review',
      items: [
        {
          id: 'technician-performance',
          title: 'Check each technician',
          checks: [
            'Calls answered (%)',
            'Bookings completed',
            'Customer satisfaction',
            'Revenue generated ($)',
            'Identify top performers (recognize)',
            'Identify underperformers (coach)',
          ],
          figures: [
            figure('calls-answered', 'Calls answered', 'percent'),
            figure('bookings-completed', 'Bookings completed', 'count'),
            figure('technician-satisfaction', 'Customer satisfaction', 'rating'),
            figure('technician-revenue', 'Revenue generated', 'money'),
          ],
        },
      ],
    },
    {
      id: 'customers',
      title: 'Customer Satisfaction Check',
      items: [
        {
          id: 'customer-satisfaction',
          title: 'Review recent feedback',
          checks: ['Average rating', 'Common complaints', 'Common praises', 'Action items'],
          figures: [
            figure('average-rating', 'Average rating', 'rating', { target: '> 4.5' }),
            figure('common-complaints', 'Common complaints', 'text'),
            figure('common-praises', 'Common praises', 'text'),
            figure('action-items', 'Action items', 'text'),
          ],
        },
      ],
    },
  ],
};

export const weekWrapUpChecklist: ChecklistDef = {
  id: 'week-wrap-up',
  name: 'Friday week wrap-up',
  aliases: ['friday', 'wrap-up'],
  schedule: '0 16 * * 5',
  durationMinutes: 30,
  ownerRole: 'ops-manager',
  channel: 'ops',
  sections: [
    {
      id: 'wrap-up',
      title: 'Week Wrap-Up',
      items: [
        {
          id: 'weekly-metrics',
          title: 'Final weekly metrics',
          checks: ['Total leads', 'Total bookings', 'Total revenue ($)', 'Profit ($)', 'ROI (%)'],
          figures: [
            figure('total-leads', 'Total leads', 'count'),
            figure('total-bookings', 'Total bookings', 'count'),
            figure('total-revenue', 'Total revenue', 'money'),
            figure('profit', 'Profit', 'money'),
            figure('roi', 'ROI', 'percent'),
          ],
        },
        {
          id: 'weekly-goals',
          title: 'Did we hit our goals?',
          checks: ['Lead goal: Yes/No', 'Revenue goal: Yes/No', 'Profit goal: Yes/No'],
        },
      ],
    },
    {
      id: 'report',
      title: 'Prepare Weekly Report',
      items: [
        {
          id: 'weekly-report',
          title: 'Create report for stakeholders',
          checks: ['Executive summary', 'Key metrics', 'Wins this week', 'Challenges this week', 'Plan for next week', 'Send to: owner@drainpro.com'],
        },
      ],
    },
    {
      id: 'plan',
      title: 'Plan Next Week',
      items: [
        {
          id: 'plan-next-week',
          title: 'Plan next week',
          checks: ['Set goals for next week', 'Schedule any maintenance windows', 'Plan any system updates', 'Assign tasks to team'],
        },
      ],
    },
    {
      id: 'cleanup',
      title: 'System Cleanup',
      items: [
        {
          id: 'system-cleanup',
          title: 'System cleanup',
          checks: ['Archive old logs (>30 days)', 'Delete temporary files', 'Clear cache if needed', 'Optimize database (if needed)'],
        },
      ],
    },
  ],
};
