// MAINTENANCE GUIDE → DAILY MAINTENANCE TASKS (morning and evening checklists).
import type { ChecklistDef } from '../types';
import { DAY_COMPARISONS, figure } from './helpers';

const day = { compareTo: DAY_COMPARISONS };

export const morningChecklist: ChecklistDef = {
  id: 'morning',
  name: 'Morning Checklist',
  aliases: ['morning'],
  schedule: '0 9 * * *',
  durationMinutes: 15,
  ownerRole: 'ops-manager',
  channel: 'ops',
  sections: [
    {
      id: 'checks',
      title: 'Morning checks',
      items: [
        {
          id: 'system-health',
          title: 'System Health Check',
          checks: [
            'Check overall system status: curl https://status.drainpro.com/api/health',
            'Expected response: "status": "healthy", "all_systems": "operational"',
          ],
          target: 'status healthy, all systems operational',
          probe: 'health',
          // An unhealthy status endpoint is the guide's own "system completely
          // down" signal (P0) until someone looks and downgrades it.
          severityOnProblem: 'p0',
        },
        {
          id: 'overnight-metrics',
          title: 'Review Overnight Metrics',
          checks: [
            'Login to Business Owner App → Dashboard',
            'Total calls received (should match expected volume)',
            'Forwarding success rate (should be >95%)',
            'Workflow completion rate (should be >90%)',
            'AI agent status (all should be "active")',
            'Error count (should be <10)',
          ],
          target: 'forwarding success rate > 95%, workflow completion > 90%, error count < 10, all AI agents active',
          figures: [
            figure('total-calls', 'Total calls received', 'count', { target: 'matches expected volume' }),
            figure('forwarding-success-rate', 'Forwarding success rate', 'percent', { target: '> 95%' }),
            figure('workflow-completion-rate', 'Workflow completion rate', 'percent', { target: '> 90%' }),
            figure('error-count', 'Error count', 'count', { target: '< 10' }),
          ],
          // The error count is the one figure here a probe can read for us;
          // the dashboard figures stay manual.
          probe: 'errors',
          // "Moderate error rate" in the guide's severity table.
          severityOnProblem: 'p2',
        },
        {
          id: 'critical-alerts',
          title: 'Check Critical Alerts',
          checks: [
            'Login to AWS CloudWatch → Alarms',
            'High error rate alarms',
            'Low forwarding rate alarms',
            'High CPL alarms',
            'System down alarms (P0: escalate to CTO immediately)',
            'If any alarms: Follow incident response procedure',
          ],
          target: 'no alarms in ALARM state',
          probe: 'alarms',
          // Most alarm kinds are P1 in the guide (high error rate, integration
          // failure); a system-down alarm is P0 and is raised when reported.
          severityOnProblem: 'p1',
        },
        {
          id: 'call-forwarding',
          title: 'Verify Call Forwarding',
          checks: [
            'Have technician call someone (line busy)',
            "Call technician's number from test phone",
            'Should forward to GHL within 2 seconds',
            'Verify GHL receives call',
            'If fails: Check TROUBLESHOOTING.md → Call Forwarding Issues',
          ],
          target: 'forwards to GHL within 2 seconds',
          probe: 'forwarding',
          figures: [figure('forwarding-time', 'Time to forward to GHL', 'seconds', { target: '< 2 s' })],
          severityOnProblem: 'p1',
        },
        {
          id: 'ai-agent-activity',
          title: 'Review AI Agent Activity',
          checks: [
            'Login to Business Owner App → AI Activity (last 24 hours)',
            'Monitor Agent ran (should be every 15-60 min)',
            'Diagnostic Agent ran if issues detected',
            'Optimizing Agent made changes (if needed)',
            'All agents completed successfully',
            'If any failures: Check logs and restart agent',
          ],
          target: 'all agents completed successfully; Monitor Agent ran every 15-60 min',
          probe: 'agents',
          severityOnProblem: 'p2',
        },
        {
          id: 'payment-processing',
          title: 'Check Payment Processing',
          checks: [
            'Login to Stripe Dashboard (last 24 hours)',
            'All payments processed successfully',
            'No failed payments (or <5%)',
            'No chargebacks',
            'No fraud alerts',
            'If issues: Contact Stripe support',
          ],
          target: 'failed payments < 5%, no chargebacks, no fraud alerts',
          probe: 'payments',
          figures: [
            figure('failed-payment-rate', 'Failed payments', 'percent', { target: '< 5%' }),
            figure('chargebacks', 'Chargebacks', 'count', { target: '0' }),
            figure('fraud-alerts', 'Fraud alerts', 'count', { target: '0' }),
          ],
          // "Payment processing down" is P0 in the guide.
          severityOnProblem: 'p0',
        },
        {
          id: 'customer-feedback',
          title: 'Review Customer Feedback',
          checks: [
            'Login to GHL → Contacts → Recent Reviews',
            'New reviews received',
            'Average rating (should be >4.5)',
            'Any negative reviews (respond within 24 hours)',
            'Review request completion rate (should be >30%)',
          ],
          target: 'average rating > 4.5, negative reviews answered within 24 hours, review request completion > 30%',
          figures: [
            figure('new-reviews', 'New reviews received', 'count'),
            figure('average-rating', 'Average rating', 'rating', { target: '> 4.5' }),
            figure('negative-reviews', 'Negative reviews', 'count', { target: 'each answered within 24 hours' }),
            figure('review-request-completion-rate', 'Review request completion rate', 'percent', { target: '> 30%' }),
          ],
        },
      ],
    },
  ],
};

export const eveningChecklist: ChecklistDef = {
  id: 'evening',
  name: 'Evening Checklist',
  // Backup verification is folded in here, where the guide puts it: 17:00 is
  // well after the 02:00–04:00 backups, so `/ops … backups` opens this list.
  aliases: ['evening', 'backups'],
  schedule: '0 17 * * *',
  durationMinutes: 10,
  ownerRole: 'ops-manager',
  channel: 'ops',
  notes: ['Backup verification is the fourth section of this checklist rather than a checklist of its own, as in the guide.'],
  sections: [
    {
      id: 'performance',
      title: "Review Day's Performance",
      items: [
        {
          id: 'day-performance',
          title: "Review today's performance",
          checks: [
            'Login to Business Owner App → Analytics',
            'Total leads generated',
            'Lead-to-booking conversion rate',
            'CPL (Cost Per Lead)',
            'Revenue generated',
            'Technician utilization',
            'Compare to yesterday and last week',
          ],
          figures: [
            // Guide: "Compare to yesterday and last week".
            figure('leads', 'Total leads generated', 'count', day),
            figure('conversion-rate', 'Lead-to-booking conversion rate', 'percent', day),
            figure('cpl', 'CPL (Cost Per Lead)', 'money', day),
            figure('revenue', 'Revenue generated', 'money', day),
            figure('technician-utilization', 'Technician utilization', 'percent', day),
          ],
        },
      ],
    },
    {
      id: 'pending',
      title: 'Check Pending Items',
      items: [
        {
          id: 'pending-items',
          title: 'Address pending items',
          checks: ['Quotes pending (follow up if >24 hours old)', 'Bookings pending confirmation', 'Payments pending', 'Reviews pending response'],
          target: 'no quote pending > 24 hours without follow-up',
        },
      ],
    },
    {
      id: 'tomorrow',
      title: 'Prepare for Tomorrow',
      items: [
        {
          id: 'prepare-tomorrow',
          title: 'Prepare for tomorrow',
          checks: [
            'Check technician schedule for tomorrow',
            'Verify adequate capacity',
            'Check weather forecast (affects demand)',
            'Adjust Google Ads budget if needed',
          ],
        },
      ],
    },
    {
      id: 'backups',
      title: 'Backup Verification',
      items: [
        {
          id: 'backups',
          title: 'Check that automated backups completed',
          checks: [
            'Database backup (should run at 2 AM)',
            'File backup (should run at 3 AM)',
            'Configuration backup (should run at 4 AM)',
            'Verify in AWS S3 → Backups folder',
          ],
          target: "last night's database, file and configuration backups present in S3",
          probe: 'backups',
          // A missing backup threatens the guide's "zero data loss" goal.
          severityOnProblem: 'p1',
        },
      ],
    },
  ],
};
