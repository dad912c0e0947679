import { buildTimelineBatch } from '../../blocks/timeline';
import type { Tx } from '../db';
import type { Deps } from '../deps';
import { describeError } from '../errors';
import { deliverNow, enqueue } from '../outbox';
import { claimUnthreadedEvents, getIncident, incidentsWithUnthreadedEvents, type IncidentRow } from './store';

/**
 * The compact timeline: batched replies in the announcement's thread.
 *
 * Every entry is a row of `incident_events` (the whole timeline, for `/incident show`, the review
 * and reports). Slack gets one reply per burst instead of one per entry: a P0's declaration
 * (declared, two levels paged) is one reply, not three — the thread bloat Grafana
 * OnCall's users complained about. Batched replies rather than one message edited in place,
 * because: a reply notifies the people who follow the thread, an edit notifies nobody (an
 * escalation or an SLA breach would land unseen, where the guide says to notify stakeholders
 * immediately; its post-mortem reads the stored timeline, not Slack); each reply goes through
 * the outbox, so it is sent exactly once across crashes (src/slack/send-once.ts), while an edit
 * that is lost leaves Slack silently stale; and the facts that must be current (state, lead, SLAs) are already edited
 * in place — the announcement and the pinned control message. Rate limits: chat.postMessage
 * allows about one message per second per channel; a flush waits `debounceMs` for the burst to
 * end and flushes of one incident are at least `minGapMs` apart, so 20 entries in a second cost
 * one or two posts. A flush that never ran (the process died) is done by the escalation sweep.
 */
export const TIMELINE_TIMING = { debounceMs: 500, minGapMs: 2000, sweepAfterMs: 10_000 };

/** In the caller's transaction: the unposted entries of `inc` queued as one reply (or a few, for a huge burst). */
export async function queueTimelineBatch(tx: Tx, inc: Pick<IncidentRow, 'id' | 'channel' | 'messageTs'>, now: Date): Promise<number[]> {
  if (!inc.messageTs) return [];
  const events = await claimUnthreadedEvents(tx, inc.id);
  const ids: number[] = [];
  for (const post of buildTimelineBatch(events))
    ids.push(await enqueue(tx, { channel: inc.channel, threadTs: inc.messageTs, ref: `incident:${inc.id}`, ...post }, now));
  return ids;
}

/** Posts the incident's waiting entries now (claimed and queued in one transaction, then one delivery attempt). */
export async function flushTimeline(deps: Deps, id: number): Promise<void> {
  const now = deps.clock.now();
  const ids = await deps.db.transaction(async (tx) => {
    const row = await getIncident(tx, id);
    return row ? queueTimelineBatch(tx, row, now) : [];
  });
  if (ids.length) await deliverNow(deps, ids, now);
}

/** Flushes each incident's new timeline entries once a burst is over; one per bot (`deps.refreshes.timelines`). */
export class TimelineFlusher {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly lastFlush = new Map<number, number>();
  private work: Promise<void> = Promise.resolve();

  /** `deps` is a getter: the flusher is itself a part of the Deps it reads. */
  constructor(private readonly getDeps: () => Deps) {}

  private get deps(): Deps {
    return this.getDeps();
  }

  /** Entries were recorded: flush once the burst is over, at least minGapMs after the last flush (real time). */
  changed(id: number): void {
    if (this.timers.has(id)) return;
    const last = this.lastFlush.get(id) ?? -Infinity;
    const wait = Math.max(TIMELINE_TIMING.debounceMs, last + TIMELINE_TIMING.minGapMs - performance.now());
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.lastFlush.set(id, performance.now());
      if (this.lastFlush.size > 500) this.lastFlush.delete(this.lastFlush.keys().next().value!);
      const job = () =>
        flushTimeline(this.deps, id).catch((err: unknown) =>
          this.deps.logger.warn({ incident: id, err: describeError(err) }, 'timeline flush failed; the sweep will retry'),
        );
      this.work = this.work.then(job, job);
    }, wait);
    timer.unref?.();
    this.timers.set(id, timer);
  }

  async idle(): Promise<void> {
    while (this.timers.size) await new Promise((r) => setTimeout(r, 20));
    await this.work;
  }
}

/** The incident's timeline has new entries (after their transaction committed). */
export function timelineChanged(deps: Deps, id: number): void {
  deps.refreshes.timelines.changed(id);
}

/** The sweep: entries left waiting (a flush that never ran) are posted. */
export async function flushStaleTimelines(deps: Deps, now: Date): Promise<number> {
  const ids = await incidentsWithUnthreadedEvents(deps.db, new Date(now.getTime() - TIMELINE_TIMING.sweepAfterMs));
  for (const id of ids)
    await flushTimeline(deps, id).catch((err: unknown) => deps.logger.warn({ incident: id, err: describeError(err) }, 'timeline flush failed'));
  return ids.length;
}
