// A probe that fails (or cannot tell: `unknown`) while a change's monitoring window is open is
// linked to that change when the probe watches that kind of change: the runbook's `probes` (the
// ones its window's end runs) are the ones that relate to it. The link is a row (a timer of
// CHANGE_PROBE_LINK_KIND, unique per change and probe: linked once however often the probe fails),
// its timer posts the line in the change's thread, and `/ops changes` lists it under the change.
// The window's own closing probes are not linked: that message already says what failed.
import { escapeMrkdwn, mrkdwn, type Mrkdwn } from '../../blocks/format';
import { buildNotice } from '../../blocks/help';
import type { ChecklistDef } from '../checklists';
import type { Deps, ProbeHook } from '../deps';
import { deliverOutbox, enqueue } from '../outbox';
import { PROBE_NAMES, type ProbeName, type ProbeResult } from '../probes';
import { formatInZone } from '../runs/view';
import { scheduleTimer, sweepTimers, type TimerHandler } from '../timers';
import { CHANGE_WAIT_KIND } from './flow';
import { CHANGE_PROBE_LINK_KIND, findChangeRun, openWindows } from './store';

export { CHANGE_PROBE_LINK_KIND };
/** Verdicts that count against a change: broken, or no answer at all. */
const FAILING = new Set(['fail', 'unknown']);

const nameOf = (run: { definition: unknown; checklistId: string }) => (run.definition as Partial<ChecklistDef>).name ?? run.checklistId;

/**
 * Records the links of these results to the changes being monitored now and tells their threads.
 * Returns one line per new link, for wherever the results are shown (the `/ops probe` answer, the
 * checklist whose probe it was).
 */
export async function linkProbesToChanges(deps: Deps, results: readonly ProbeResult[]): Promise<Mrkdwn[]> {
  const failing = results.filter((r) => FAILING.has(r.status) && PROBE_NAMES.includes(r.probe as ProbeName));
  if (failing.length === 0) return [];
  const now = deps.clock.now();
  const lines: Mrkdwn[] = [];
  await deps.db.transaction(async (tx) => {
    for (const w of await openWindows(tx, CHANGE_WAIT_KIND, now)) {
      for (const r of failing.filter((x) => w.probes.includes(x.probe))) {
        const payload = { probe: r.probe, status: r.status, summary: r.summary.slice(0, 300), at: now.toISOString() };
        const step = PROBE_NAMES.indexOf(r.probe as ProbeName);
        if (!(await scheduleTimer(tx, { kind: CHANGE_PROBE_LINK_KIND, refId: String(w.run.id), step, dueAt: now, payload }))) continue;
        lines.push(
          mrkdwn`:link: \`${escapeMrkdwn(r.probe)}\` ${escapeMrkdwn(r.status)} during the monitoring window of change #${w.run.id} (${escapeMrkdwn(nameOf(w.run))}): if the change caused it, follow its rollback plan.`,
        );
      }
    }
  });
  if (lines.length === 0) return [];
  deps.logger.info({ links: lines.length }, 'failed probes linked to changes being monitored');
  // The timers post the thread lines now; the reminders sweep does it after a crash.
  await sweepTimers(deps.db, now, { [CHANGE_PROBE_LINK_KIND]: changeProbeLinkHandler(deps) });
  await deliverOutbox(deps, deps.clock.now());
  return lines;
}

/** The link's line in the change's thread. */
export function changeProbeLinkHandler(deps: Pick<Deps, 'config'>): TimerHandler {
  return async (tx, timer, now) => {
    const run = await findChangeRun(tx, Number(timer.refId));
    if (!run) return;
    const p = timer.payload as { probe?: string; status?: string; summary?: string; at?: string };
    const at = formatInZone(new Date(p.at ?? now), deps.config.timezone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
    const text = mrkdwn`:link: The \`${escapeMrkdwn(p.probe ?? '?')}\` probe came back *${escapeMrkdwn(p.status ?? 'fail')}* during this change's monitoring window (${escapeMrkdwn(at)}): ${escapeMrkdwn(p.summary ?? '')}\nIf the change caused it, follow the rollback plan (or \`/ops change failed ${run.id} <what happened>\`).`;
    await enqueue(
      tx,
      { channel: run.channel, ...(run.messageTs ? { threadTs: run.messageTs } : {}), ref: `change-probe:${run.id}:${p.probe ?? '?'}`, ...buildNotice(text) },
      now,
    );
  };
}

/** A failed probe during a change's monitoring window is linked to that change. */
export const changeProbeLinkHook: ProbeHook = { name: 'change-probe-link', afterResults: (deps, results) => linkProbesToChanges(deps, results) };
