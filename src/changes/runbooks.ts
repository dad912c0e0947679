// The guide's UPDATE PROCEDURES as runbooks: each a sequence of steps (a wait is a step with
// `waitHours`: signing it Done starts a timer) and its rollback plan. Configurable under
// `changes.runbooks` (a full list replaces these).
import { z } from 'zod';

const PROBES = ['health', 'alarms', 'errors', 'backups', 'payments', 'forwarding', 'agents'] as const;

const stepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    title: z.string().min(1).max(150),
    /** Signing this step Done starts a window of this many hours; its end reminds the requester and runs the runbook's probes. */
    waitHours: z
      .number()
      .positive()
      .max(24 * 60)
      .optional(),
    /** A go/no-go step: Done is go; Problem is no-go and marks the change failed (incident + rollback clock). */
    canary: z.boolean().optional(),
  })
  .strict();

export const runbookSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/),
    name: z.string().min(1).max(100),
    aliases: z.array(z.string().min(1)).default([]),
    steps: z.array(stepSchema).min(1).max(40),
    rollback: z.array(z.string().min(1)).default([]),
    /** The rollback plan's deadline: a change marked failed must be rolled back (or hotfixed) within this many hours. */
    rollbackHours: z
      .number()
      .positive()
      .max(24 * 14),
    /** Probes run when a monitoring window ends. */
    probes: z.array(z.enum(PROBES)).default(['health']),
  })
  .strict();

export type Runbook = z.infer<typeof runbookSchema>;

const s = (id: string, title: string, waitHours?: number, canary?: boolean) => ({
  id,
  title,
  ...(waitHours ? { waitHours } : {}),
  ...(canary ? { canary } : {}),
});

export const DEFAULT_RUNBOOKS: Runbook[] = [
  {
    id: 'mobile-minor',
    rollbackHours: 4,
    name: 'Mobile app minor update',
    aliases: ['mobile', 'app-minor'],
    probes: ['health', 'errors'],
    steps: [
      s('staging', '1. Develop and test in staging'),
      s('submit', '2. Submit to App Store/Play Store'),
      s('approval', '3. Wait for approval (1-3 days)'),
      s('canary', '4. Release to 10% of users (canary)', undefined, true),
      s('monitor', '5. Monitor for 24 hours', 24),
      s('full', '6. If no issues, release to 100%'),
      s('announce', '7. Announce in app and email'),
    ],
    rollback: ['If critical bug found, release hotfix within 4 hours', 'If major issue, roll back to previous version'],
  },
  {
    id: 'mobile-major',
    rollbackHours: 1,
    name: 'Mobile app major update',
    aliases: ['app-major'],
    probes: ['health', 'errors'],
    steps: [
      s('plan', '1. Plan features (based on feedback)'),
      s('design', '2. Design UI/UX'),
      s('develop', '3. Develop and test (4-6 weeks)'),
      s('beta', '4. Beta test with 50 users (2 weeks)', 24 * 14, true),
      s('feedback', '5. Incorporate feedback'),
      s('submit', '6. Submit to stores'),
      s('marketing', '7. Marketing campaign'),
      s('release', '8. Release to 100%'),
      s('monitor', '9. Monitor closely for 1 week', 24 * 7),
    ],
    rollback: ['Have previous version ready', 'Can roll back within 1 hour if needed'],
  },
  {
    id: 'ghl-workflow',
    rollbackHours: 5 / 60,
    name: 'GHL workflow update',
    aliases: ['ghl', 'workflow'],
    probes: ['forwarding', 'health'],
    steps: [
      s('identify', '1. Identify improvement opportunity'),
      s('design', '2. Design new workflow or modification'),
      s('draft', '3. Create in GHL (draft mode)'),
      s('test', '4. Test with test contacts'),
      s('verify', '5. Verify all actions work'),
      s('publish', '6. Publish to production'),
      s('monitor', '7. Monitor for 24 hours', 24),
      s('document', '8. Document changes'),
    ],
    rollback: ['Keep previous version as backup', 'Can revert in 5 minutes if needed'],
  },
  {
    id: 'ai-model',
    rollbackHours: 10 / 60,
    name: 'AI agent model retraining',
    aliases: ['ai', 'ai-agent', 'model'],
    probes: ['agents'],
    steps: [
      s('collect', '1. Collect new training data'),
      s('retrain', '2. Retrain model in development'),
      s('evaluate', '3. Evaluate on test set'),
      s('staging', '4. If accuracy >95%, deploy to staging'),
      s('staging-test', '5. Test in staging for 1 week', 24 * 7),
      s('production', '6. If no issues, deploy to production'),
      s('monitor', '7. Monitor closely for 1 week', 24 * 7),
    ],
    rollback: ['Keep previous model version', 'Can roll back in 10 minutes'],
  },
  {
    id: 'ai-prompt',
    rollbackHours: 5 / 60,
    name: 'AI agent prompt update',
    aliases: ['prompt'],
    probes: ['agents'],
    steps: [
      s('identify', '1. Identify prompt improvement'),
      s('develop', '2. Test new prompt in development'),
      s('compare', '3. Compare results to current prompt'),
      s('staging', '4. If better, deploy to staging'),
      s('staging-test', '5. Test for 24 hours', 24),
      s('production', '6. Deploy to production'),
      s('monitor', '7. Monitor for 1 week', 24 * 7),
    ],
    rollback: ['Keep previous prompt', 'Can roll back in 5 minutes'],
  },
  {
    id: 'aws',
    rollbackHours: 0.5,
    name: 'AWS infrastructure update',
    aliases: ['infrastructure', 'infra'],
    probes: ['health', 'alarms', 'errors'],
    steps: [
      s('review', '1. Review AWS update announcement'),
      s('assess', '2. Assess impact on our system'),
      s('staging', '3. Test in staging environment'),
      s('window', '4. Schedule maintenance window'),
      s('notify', '5. Notify users 48 hours in advance'),
      s('apply', '6. Apply update during maintenance window'),
      s('verify', '7. Verify all systems working'),
      s('monitor', '8. Monitor for 24 hours', 24),
    ],
    rollback: ['Have snapshot before update', 'Can restore in 30 minutes'],
  },
  {
    id: 'database',
    rollbackHours: 1,
    name: 'Database update',
    aliases: ['db'],
    probes: ['health', 'backups'],
    steps: [
      s('backup', '1. Backup database'),
      s('staging', '2. Test update in staging'),
      s('window', '3. Schedule maintenance window (2 AM - 4 AM)'),
      s('notify', '4. Notify users 48 hours in advance'),
      s('apply', '5. Apply update'),
      s('verify', '6. Verify data integrity'),
      s('performance', '7. Run performance tests'),
      s('monitor', '8. Monitor for 24 hours', 24),
    ],
    rollback: ['Have backup before update', 'Can restore in 1 hour'],
  },
];

export const changesConfigSchema = z
  .object({
    /** Channel key (see `channels`) the change runbooks are posted to. */
    channel: z.string().min(1).default('ops'),
    runbooks: z.array(runbookSchema).min(1).default(DEFAULT_RUNBOOKS),
  })
  .strict();

export type ChangesConfig = z.infer<typeof changesConfigSchema>;

export function findRunbook(cfg: ChangesConfig, name: string): Runbook | undefined {
  const n = name.toLowerCase();
  return cfg.runbooks.find((r) => r.id === n || r.aliases.includes(n));
}
