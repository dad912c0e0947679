// MAINTENANCE GUIDE → PERFORMANCE OPTIMIZATION. Times and durations are ours.
import type { ChecklistDef } from '../types';
import { figure } from './helpers';

export const performanceWeeklyChecklist: ChecklistDef = {
  id: 'performance-weekly',
  name: 'Weekly performance review',
  aliases: ['performance'],
  // Thursday 10:00: clear of Monday's review, Tuesday's security tasks and
  // Wednesday's check-in, and early enough that fixes land before Friday's
  // wrap-up plans the next week.
  schedule: '0 10 * * 4',
  durationMinutes: 30,
  ownerRole: 'tech-lead',
  channel: 'ops',
  notes: ['Day, time and duration are ours (the guide says "weekly"): Thursday 10:00, 30 minutes.'],
  sections: [
    {
      id: 'system-performance',
      title: 'System Performance',
      items: [
        {
          id: 'api-response-time',
          title: 'API Response Time',
          checks: ['Average (target: <200ms)', '95th percentile (target: <500ms)', '99th percentile (target: <1000ms)'],
          figures: [
            figure('api-average', 'Average', 'ms', { target: '< 200 ms' }),
            figure('api-p95', '95th percentile', 'ms', { target: '< 500 ms' }),
            figure('api-p99', '99th percentile', 'ms', { target: '< 1000 ms' }),
          ],
          severityOnProblem: 'p1',
        },
        {
          id: 'mobile-app-performance',
          title: 'Mobile App Performance',
          checks: ['App launch time (target: <2s)', 'Screen load time (target: <1s)', 'Crash rate (target: <1%)'],
          figures: [
            figure('app-launch-time', 'App launch time', 'seconds', { target: '< 2 s' }),
            figure('screen-load-time', 'Screen load time', 'seconds', { target: '< 1 s' }),
            figure('crash-rate', 'Crash rate', 'percent', { target: '< 1%' }),
          ],
          severityOnProblem: 'p2',
        },
        {
          id: 'database-performance',
          title: 'Database Performance',
          checks: ['Query time (target: <100ms)', 'Connection pool usage (target: <80%)', 'Slow queries (target: 0)'],
          figures: [
            figure('query-time', 'Query time', 'ms', { target: '< 100 ms' }),
            figure('pool-usage', 'Connection pool usage', 'percent', { target: '< 80%' }),
            figure('slow-queries', 'Slow queries', 'count', { target: '0' }),
          ],
          severityOnProblem: 'p2',
        },
      ],
    },
    {
      id: 'optimization',
      title: 'Optimization Actions',
      items: [
        {
          id: 'optimization-actions',
          title: 'If performance issues',
          checks: [
            'Identify bottlenecks (use profiling tools)',
            'Optimize slow queries',
            'Add caching where needed',
            'Scale infrastructure if needed',
            'Optimize code if needed',
            'Retest after optimization',
          ],
        },
      ],
    },
  ],
};

export const performanceMonthlyChecklist: ChecklistDef = {
  id: 'performance-monthly',
  name: 'Monthly performance optimization',
  aliases: [],
  // First Thursday 14:00: the same day's 10:00 weekly review supplies fresh
  // figures, and the busy first Monday is left alone.
  schedule: '0 14 * * 4#1',
  durationMinutes: 60,
  ownerRole: 'tech-lead',
  channel: 'ops',
  notes: ['Day, time and duration are ours (the guide says "monthly"): first Thursday 14:00, 60 minutes.'],
  sections: [
    {
      id: 'database',
      title: 'Database Optimization',
      items: [
        {
          id: 'database-optimization',
          title: 'Database optimization',
          checks: [
            'Analyze query patterns',
            'Add indexes where needed',
            'Remove unused indexes',
            'Optimize slow queries',
            'Archive old data (>1 year)',
            'Vacuum/optimize tables',
          ],
        },
      ],
    },
    {
      id: 'code',
      title: 'Code Optimization',
      items: [
        {
          id: 'code-optimization',
          title: 'Code optimization',
          checks: ['Profile application code', 'Optimize hot paths', 'Reduce API calls', 'Implement caching', 'Minimize data transfer'],
        },
      ],
    },
    {
      id: 'infrastructure',
      title: 'Infrastructure Optimization',
      items: [
        {
          id: 'infrastructure-optimization',
          title: 'Infrastructure optimization',
          checks: ['Review AWS costs', 'Right-size instances', 'Use reserved instances', 'Implement auto-scaling', 'Optimize storage'],
        },
      ],
    },
  ],
};
