// The post-incident review draft of a resolved P0/P1: facts from the database, a narrative from
// the LLM when one is configured and its text passes the grounding checks, else the plain draft
// (the draft says which, and why). Stored once per incident and queued for Slack in the same
// transaction, so the resolver's request and the fallback timer (src/incidents/review-intent.ts)
// post it once between them, whichever runs, even across a crash.
import { buildReviewMessage, type ReviewView } from '../../blocks/review';
import type { Deps } from '../deps';
import { postMortemCheck } from '../dr/procedure';
import { setStepChecks } from '../dr/store';
import { DrSteps } from '../dr/procedure';
import { describeError } from '../errors';
import { REVIEW_TIMER_KIND, REVIEWED_SEVERITIES } from '../incidents/review-intent';
import { recordEvent } from '../incidents/steps';
import { getIncident, listEvents, type IncidentRow } from '../incidents/store';
import { deliverOutbox, enqueue } from '../outbox';
import { refreshRunMessage } from '../runs/flow';
import { formatInZone } from '../runs/view';
import { REASON_WORDS } from '../summary/flow';
import { cancelTimers, type TimerHandler } from '../timers';
import { gatherReviewFacts, type ReviewFacts } from './facts';
import type { NarrativeFailure } from './llm';
import { getReview, insertReview, probesInWindow, reviewRef, runsInWindow, type ReviewRow } from './store';

export type ReviewOutcome = 'posted' | 'already' | 'not_due';

const PLAIN_WORDS: Record<NarrativeFailure, string> = {
  ...REASON_WORDS,
  ungrounded_name: "the LLM's answer named someone or something that is not in the facts",
};

/** A stored review as the renderer shows it. */
export function reviewView(row: ReviewRow): ReviewView {
  const reason = row.reason as NarrativeFailure | null;
  return {
    facts: row.facts as ReviewFacts,
    narrative: row.narrative,
    model: row.model,
    plainBecause: row.narrative ? null : reason ? (PLAIN_WORDS[reason] ?? reason) : null,
  };
}

async function gather(deps: Deps, inc: IncidentRow): Promise<ReviewFacts> {
  const to = inc.resolvedAt ?? deps.clock.now();
  const [events, runs, probes] = await Promise.all([
    listEvents(deps.db, inc.id),
    runsInWindow(deps.db, inc.declaredAt, to),
    probesInWindow(deps.db, inc.declaredAt, to),
  ]);
  return gatherReviewFacts(inc, { events, runs, probes }, deps.config.timezone);
}

/**
 * Writes, stores and posts the review of a resolved P0/P1, unless it has one. Two callers racing
 * (the request and the sweep) may both ask the LLM; only the first to store it posts.
 */
export async function draftReview(deps: Deps, incidentId: number): Promise<ReviewOutcome> {
  if (await getReview(deps.db, incidentId)) return 'already';
  const inc = await getIncident(deps.db, incidentId);
  if (inc?.state !== 'resolved' || !REVIEWED_SEVERITIES.includes(inc.severity)) return 'not_due';
  const facts = await gather(deps, inc);
  const llm = await deps.llm.writeNarrative(facts, deps.config.summary.llm);
  const log = { incident: inc.id, source: llm.ok ? 'llm' : 'plain', reason: llm.ok ? null : llm.reason, model: llm.model ?? null };
  if (llm.ok) deps.logger.info(log, 'review narrative written by the LLM');
  else deps.logger.warn({ ...log, detail: llm.detail }, 'review falls back to the plain draft');
  const now = deps.clock.now();
  const row: ReviewRow = {
    incidentId: inc.id,
    source: llm.ok ? 'llm' : 'plain',
    reason: llm.ok ? null : llm.reason,
    model: llm.model ?? null,
    facts,
    narrative: llm.ok ? llm.narrative : null,
    channel: inc.incidentChannel ?? inc.channel,
    createdAt: now,
  };
  const drRun = await deps.db.transaction(async (tx) => {
    if (!(await insertReview(tx, row))) return undefined;
    await enqueue(tx, { channel: row.channel, ref: reviewRef(inc.id), ...buildReviewMessage(reviewView(row)) }, now);
    await cancelTimers(tx, REVIEW_TIMER_KIND, String(inc.id), now);
    const draft = llm.ok ? 'with an LLM narrative' : 'plain draft';
    await recordEvent(tx, inc, { kind: 'review', text: `Post-incident review draft posted (${draft})` }, now);
    const posted = formatInZone(now, deps.config.timezone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
    return setStepChecks(tx, inc.id, DrSteps.postMortem, [postMortemCheck(inc.id, { posted })]);
  });
  if (drRun === undefined) return 'already';
  await deliverOutbox(deps, deps.clock.now());
  if (drRun !== null)
    await refreshRunMessage(deps, drRun, DrSteps.postMortem).catch((err: unknown) =>
      deps.logger.warn({ incident: inc.id, runId: drRun, err: describeError(err) }, 'could not show the review on the DR procedure'),
    );
  return 'posted';
}

/** After a resolve: the draft now, never failing the resolve (the timer retries). */
export async function draftReviewAfterResolve(deps: Deps, incidentId: number): Promise<void> {
  await draftReview(deps, incidentId).catch((err: unknown) =>
    deps.logger.warn({ incident: incidentId, err: describeError(err) }, 'review draft not written yet; the timer sweep will retry'),
  );
}

/** The fallback: the resolving request died before the draft was stored. */
export function reviewTimerHandler(deps: Deps): TimerHandler {
  return {
    send: async (_db, timer) => {
      await draftReview(deps, Number(timer.refId));
    },
  };
}
