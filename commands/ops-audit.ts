import { escapeMrkdwn, mrkdwn } from '../blocks/format';
import { buildNotice, buildRefusal, buildUsageMessage } from '../blocks/help';
import { exportAudit } from '../src/audit/export';
import type { AuditKind } from '../src/audit/rows';
import { describeError } from '../src/errors';
import { auditRefusal } from '../src/rights';
import { toLocal, wallTimeToInstant } from '../src/schedule';
import { slackAdvice, slackErrorCode } from '../src/slack/errors';
import { capText } from '../src/user-text';
import type { OpsContext } from './ops-context';
import { tellUser } from './respond';

export const AUDIT_USAGE = 'audit [from YYYY-MM-DD] [to YYYY-MM-DD] [checklists|incidents|all]';
const KINDS: readonly AuditKind[] = ['checklists', 'incidents', 'all'];
const DEFAULT_DAYS = 30;

type Day = { year: number; month: number; day: number };

function parseDay(s: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : null;
}

const iso = (d: Day) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
function addDays(d: Day, n: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** `[from] [to] [kind]` in any order of kind; dates in the business time zone, `to` inclusive. */
export function parseAuditArgs(args: readonly string[], now: Date, timeZone: string): { kind: AuditKind; from: Day; to: Day } | { problem: string } {
  let kind: AuditKind = 'all';
  const days: Day[] = [];
  for (const a of args) {
    const word = a.toLowerCase();
    if ((KINDS as readonly string[]).includes(word)) kind = word as AuditKind;
    else {
      const d = parseDay(a);
      if (!d) return { problem: `\`${capText(a, 30)}\` is neither a date (YYYY-MM-DD) nor checklists, incidents or all.` };
      days.push(d);
    }
  }
  if (days.length > 2) return { problem: 'Give at most two dates: from and to.' };
  const today = toLocal(now, timeZone);
  const to = days[1] ?? today;
  const from = days[0] ?? addDays(today, -(DEFAULT_DAYS - 1));
  if (iso(from) > iso(to)) return { problem: `The range starts (${iso(from)}) after it ends (${iso(to)}).` };
  return { kind, from, to };
}

/** `/ops audit …`: acks at once, then sends the CSV to the requester by DM. */
export async function runAudit(ctx: OpsContext): Promise<void> {
  const { deps, command } = ctx;
  const refusal = auditRefusal(deps.config, command.user_id);
  if (refusal) return ctx.ack(buildRefusal(refusal));
  const tz = deps.config.timezone;
  const parsed = parseAuditArgs(ctx.parsed.args, deps.clock.now(), tz);
  if ('problem' in parsed) {
    await ctx.ack(
      buildUsageMessage(
        '/ops',
        [{ usage: AUDIT_USAGE, description: 'the audit log as a CSV file, sent to you by DM' }],
        mrkdwn`${escapeMrkdwn(parsed.problem)}`,
      ),
    );
    return;
  }
  const label = `${iso(parsed.from)} to ${iso(parsed.to)}`;
  await ctx.ack(
    buildNotice(mrkdwn`:hourglass_flowing_sand: Exporting the audit log (${escapeMrkdwn(parsed.kind)}, ${escapeMrkdwn(label)}); the CSV comes to you by DM…`),
  );
  const from = new Date(wallTimeToInstant({ ...parsed.from, hour: 0, minute: 0 }, tz));
  const to = new Date(wallTimeToInstant({ ...addDays(parsed.to, 1), hour: 0, minute: 0 }, tz));
  try {
    const res = await exportAudit(deps, {
      kind: parsed.kind,
      from,
      to,
      label: `${label} (${tz})`,
      fileLabel: `${iso(parsed.from)}_${iso(parsed.to)}`,
      userId: command.user_id,
    });
    deps.logger.info({ user: command.user_id, kind: parsed.kind, rows: res.rows, bytes: res.bytes }, 'audit log exported');
    await tellUser(
      deps,
      ctx.respond,
      buildNotice(
        mrkdwn`:white_check_mark: Audit log sent to you by DM: ${res.rows} ${res.rows === 1 ? mrkdwn`entry` : mrkdwn`entries`} (${escapeMrkdwn(parsed.kind)}, ${escapeMrkdwn(label)}).`,
      ),
      { replace: true },
    );
  } catch (err) {
    deps.logger.error({ err: describeError(err), user: command.user_id }, 'audit export failed');
    // Nothing retries an export: say so, with Slack's advice when Slack refused, else the error.
    const why = slackErrorCode(err) ? slackAdvice(err) : escapeMrkdwn(describeError(err));
    await tellUser(deps, ctx.respond, buildNotice(mrkdwn`:warning: The audit log was not sent: ${why} Nothing will retry it: run \`/ops audit\` again.`), {
      replace: true,
    });
  }
}
