import { buildSummaryMessage } from '../../blocks/summary';
import { channelFor, type Deps } from '../deps';
import { deliverOutbox, enqueue, outboxDelivery } from '../outbox';
import { fallbackProse } from './fallback';
import { postSummaryChart } from './chart-post';
import { capFacts, gatherWeekFacts } from './facts';
import type { IncidentFactsSource } from './incident-facts';
import type { LlmFailureReason } from './llm';
import type { SummaryProse } from './prose';
import { claimSummary, markSummaryPosted, markSummaryQueued } from './store';
import { sanitizeProse } from './validate';
import type { IsoWeek } from './week';

export interface SummaryRequest {
  week: IsoWeek;
  /** `scheduled:<week>` or `adhoc:<trigger id>`: one summary per key, ever. */
  claimKey: string;
  requestedBy?: string;
  /** Overrides the incidents source (tests). */
  incidents?: IncidentFactsSource;
}

export type SummaryOutcome =
  | { kind: 'already_claimed' }
  | {
      kind: 'posted';
      id: number;
      source: 'llm' | 'fallback';
      reason: LlmFailureReason | null;
      channel: string;
      messageTs: string | null;
      slackRefused?: string;
    };

export const REASON_WORDS: Record<LlmFailureReason, string> = {
  no_api_key: 'no OpenAI API key is configured',
  timeout: 'the LLM did not answer in time',
  http_error: 'the LLM service returned an error',
  error: 'the LLM service could not be reached',
  refusal: 'the LLM declined to answer',
  truncated: "the LLM's answer was cut off",
  invalid_json: "the LLM's answer was not valid JSON",
  schema_violation: "the LLM's answer did not match the expected shape",
  ungrounded_number: "the LLM's answer stated a number that is not in the facts",
  contradicts_facts: "the LLM's answer made a claim the facts contradict",
  unknown_link: "the LLM's answer contained a link that is not in the facts",
};

/**
 * Writes and posts one weekly summary: claim, gather the facts, ask the LLM (or fall back to a
 * plain summary, logging why), store facts + prose + token use, queue the message in the same
 * transaction and deliver it. The outbox retries delivery if Slack is down.
 */
export async function writeWeeklySummary(deps: Deps, req: SummaryRequest): Promise<SummaryOutcome> {
  const cfg = deps.config.summary;
  const id = await claimSummary(deps.db, { claimKey: req.claimKey, weekKey: req.week.key, requestedBy: req.requestedBy ?? null }, deps.clock.now());
  if (id === null) return { kind: 'already_claimed' };

  const facts = await gatherWeekFacts(deps.db, deps.config, req.week, deps.clock.now(), req.incidents ? { incidents: req.incidents } : {});
  const sent = capFacts(facts, cfg.maxFactsChars);
  const llm = await deps.llm.writeProse(sent.facts, { timeoutMs: cfg.llm.timeoutMs, maxOutputTokens: cfg.llm.maxOutputTokens });
  const prose: SummaryProse = llm.ok ? sanitizeProse(llm.prose) : fallbackProse(facts);
  const source = llm.ok ? 'llm' : 'fallback';
  const reason = llm.ok ? null : llm.reason;
  const log = {
    week: req.week.key,
    claimKey: req.claimKey,
    summaryId: id,
    source,
    reason,
    model: llm.model ?? null,
    tokensIn: llm.tokensIn ?? null,
    tokensOut: llm.tokensOut ?? null,
    factsChars: JSON.stringify(sent.facts).length,
    factsTruncated: sent.truncated,
  };
  if (llm.ok) deps.logger.info(log, 'weekly summary written by the LLM');
  else deps.logger.warn({ ...log, detail: llm.detail }, 'weekly summary falls back to the plain summary');

  const message = buildSummaryMessage({
    facts,
    prose,
    source,
    ...(llm.model ? { model: llm.model } : {}),
    ...(reason ? { fallbackReason: REASON_WORDS[reason] } : {}),
  });
  const channel = channelFor(deps.config, cfg.channel);
  const now = deps.clock.now();
  const outboxId = await deps.db.transaction(async (tx) => {
    await markSummaryQueued(tx, id, {
      facts,
      prose,
      source,
      reason,
      model: llm.model ?? null,
      tokensIn: llm.tokensIn ?? null,
      tokensOut: llm.tokensOut ?? null,
      channel,
    });
    return enqueue(tx, { channel, ref: `summary:${id}`, ...message }, now);
  });

  await deliverOutbox(deps, now);
  const sentRow = await outboxDelivery(deps.db, outboxId);
  const messageTs = sentRow?.ts ?? null;
  if (sentRow?.at) await markSummaryPosted(deps.db, id, messageTs, sentRow.at);
  if (messageTs) await postSummaryChart(deps, req.week, channel, messageTs, req.incidents);
  // Refused for good (src/slack/errors.ts): the outbox will not retry it, so the caller must say so.
  return { kind: 'posted', id, source, reason, channel, messageTs, ...(sentRow?.failedAt ? { slackRefused: sentRow.lastError ?? 'Slack refused it' } : {}) };
}
