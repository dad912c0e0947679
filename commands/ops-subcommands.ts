import { AUDIT_USAGE, runAudit } from './ops-audit';
import { changeSubcommand, changesSubcommand } from './ops-change';
import { drSubcommand } from './ops-dr';
import { improveSubcommand } from './ops-improve';
import { scorecardSubcommand } from './ops-scorecard';
import { handleList, handleStatus } from './ops-calendar';
import { COVER_USAGE } from '../blocks/oncall';
import { handleOnCall } from './ops-oncall';
import type { OpsSubcommand } from './ops-context';
import { PROBE_USAGE, runProbeCommand } from './ops-probe';
import { handleOpsSummary, SUMMARY_USAGE } from './ops-summary';

/**
 * Every `/ops` subcommand, in the order `/ops help` lists them. Anything else is a checklist name
 * (commands/ops.ts), or gets the usage.
 */
export const OPS_SUBCOMMANDS: Readonly<Record<string, OpsSubcommand>> = {
  probe: { usage: PROBE_USAGE, description: 'run probes now and show their verdicts and evidence', run: runProbeCommand },
  list: { usage: 'list', description: 'every checklist with its schedule and next run', run: handleList },
  status: { usage: 'status', description: "today's checklists with progress, late and missed", run: handleStatus },
  summary: { usage: SUMMARY_USAGE, description: "post the week's summary to leadership (default: this week)", run: handleOpsSummary },
  scorecard: scorecardSubcommand,
  improve: improveSubcommand,
  change: changeSubcommand,
  changes: changesSubcommand,
  oncall: { usage: COVER_USAGE, description: 'who holds each escalation level now and next; `cover` sets or ends cover for a role', run: handleOnCall },
  dr: drSubcommand,
  audit: { usage: AUDIT_USAGE, description: 'the audit log (sign-offs, incident timelines) as a CSV file, sent to you by DM', run: runAudit },
};
