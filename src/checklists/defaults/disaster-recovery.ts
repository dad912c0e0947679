// MAINTENANCE GUIDE → BACKUP & DISASTER RECOVERY → Disaster Recovery Testing.
//
// The monthly test runs on the last Friday of every month and the quarterly
// full test on the last Friday of each quarter, so in March, June, September
// and December both fall on the same Friday at 14:00. We keep both, as the
// guide does: they test different things (one backup restored into a test
// environment vs. a simulated complete failure restored from the weekly
// snapshot), and dropping the monthly one would leave a hole in its
// month-by-month restore-time record. The guide gives no time of day for the
// quarterly test; 14:00 follows its monthly calendar line ("Last Friday 2:00
// PM"); the 2-hour full test then ends at 16:00, as the Friday wrap-up starts.
import type { ChecklistDef } from '../types';
import { figure } from './helpers';

const SAME_DAY_NOTE =
  'In March, June, September and December the monthly DR test and the quarterly full DR test fall on the same last Friday at 14:00; both are posted.';

export const drTestChecklist: ChecklistDef = {
  id: 'dr-test',
  name: 'Monthly disaster recovery test',
  aliases: ['dr-test', 'dr'],
  schedule: '0 14 * * 5L',
  durationMinutes: 60,
  ownerRole: 'tech-lead',
  channel: 'ops',
  notes: [SAME_DAY_NOTE],
  sections: [
    {
      id: 'restore',
      title: 'Monthly Test (Last Friday)',
      items: [
        {
          id: 'restore-test',
          title: 'Restore a random daily backup',
          checks: [
            'Select random daily backup',
            'Restore to test environment',
            'Verify data integrity',
            'Test all functionality',
            'Measure restoration time',
            'Document results',
          ],
          target: 'restoration < 1 hour',
          probe: 'backups',
          figures: [figure('time-to-restore', 'Time to restore', 'minutes', { target: '< 60 min' })],
          severityOnProblem: 'p1',
          drRecord: true,
        },
        {
          // The guide's "Document results", as a record a second person vouches for.
          id: 'verify-restore',
          title: 'Verify the restore (a second person)',
          checks: ['Data integrity: 100%', 'Functionality: all working', 'The recorded times, backup, data loss and evidence are right'],
          target: 'signed by someone other than who restored',
          differentSignerFrom: 'restore-test',
          severityOnProblem: 'p1',
        },
      ],
    },
  ],
};

export const drFullChecklist: ChecklistDef = {
  id: 'dr-full',
  name: 'Quarterly full disaster recovery test',
  aliases: ['dr-full'],
  schedule: '0 14 * 3,6,9,12 5L',
  durationMinutes: 120,
  ownerRole: 'cto',
  coOwnerRoles: ['tech-lead'],
  channel: 'ops',
  notes: [SAME_DAY_NOTE],
  sections: [
    {
      id: 'full-recovery',
      title: 'Quarterly Test (Last Friday of Quarter)',
      items: [
        {
          id: 'full-recovery',
          title: 'Recover from a simulated complete system failure',
          checks: [
            'Simulate complete system failure',
            'Restore from weekly backup',
            'Verify all systems operational',
            'Test all integrations',
            'Measure total recovery time',
            'Document lessons learned',
          ],
          target: 'total recovery < 4 hours',
          figures: [figure('total-recovery-time', 'Total recovery time', 'minutes', { target: '< 240 min' })],
          severityOnProblem: 'p1',
          restrictedTo: ['cto', 'tech-lead'],
          drRecord: true,
        },
        {
          id: 'verify-recovery',
          title: 'Verify the recovery (a second person)',
          checks: ['All systems operational', 'All integrations tested', 'The recorded times, backup, data loss and evidence are right'],
          target: 'signed by someone other than who recovered',
          differentSignerFrom: 'full-recovery',
        },
      ],
    },
  ],
};
