import { createHash } from 'node:crypto';
import { buildHomeView } from '../../blocks/home';
import type { Deps, HomeTab } from '../deps';
import { describeError } from '../errors';
import { loadHome } from './read-model';
import { HomeScorecards } from './scorecard';

/**
 * Publishes Home tabs: at once when a person opens theirs (`app_home_opened`), and again, once
 * per burst, when what Home shows changes (an incident or a checklist re-rendered), for the
 * people who opened it recently. Bounded: at most MAX_VIEWERS people, each forgotten
 * VIEWER_TTL_MS after their last open; an unchanged view is not sent again. Nothing is stored:
 * after a restart, Home is fresh again at its next open.
 */
export const HOME_TIMING = { viewerTtlMs: 30 * 60_000, maxViewers: 200, debounceMs: 1000, minRoundGapMs: 5000, reopenMs: 3000 };

export class HomePublisher implements HomeTab {
  private readonly viewers = new Map<string, number>();
  private readonly sent = new Map<string, string>();
  /** Real time (not the injected clock) of the last publish per person: switching tabs back and forth costs one. */
  private readonly publishedAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private lastRound = -Infinity;
  private work: Promise<void> = Promise.resolve();
  /** This week's scorecard, computed once a minute for every viewer. */
  private readonly scorecards = new HomeScorecards();

  /** `deps` is a getter: the publisher is itself a part of the Deps it reads (`deps.home`). */
  constructor(private readonly getDeps: () => Deps) {}

  private get deps(): Deps {
    return this.getDeps();
  }

  /**
   * A person opened Home: publish now (their stored view may predate a restart), unless it was
   * published for them moments ago; a change meanwhile re-publishes through `changed` anyway.
   */
  opened(userId: string): Promise<void> {
    this.viewers.delete(userId);
    this.viewers.set(userId, this.deps.clock.now().getTime());
    while (this.viewers.size > HOME_TIMING.maxViewers) this.viewers.delete(this.viewers.keys().next().value!);
    const last = this.publishedAt.get(userId);
    if (last !== undefined && performance.now() - last < HOME_TIMING.reopenMs) return this.work;
    this.publishedAt.set(userId, performance.now());
    return this.queue(() => this.publish(userId, true));
  }

  watched(): boolean {
    const cutoff = this.deps.clock.now().getTime() - HOME_TIMING.viewerTtlMs;
    for (const at of this.viewers.values()) if (at >= cutoff) return true;
    return false;
  }

  /** Something Home shows changed: re-publish for recent viewers after a short quiet spell. */
  changed(): void {
    if (this.timer || this.viewers.size === 0) return;
    // A burst of changes costs one round, and rounds are at least minRoundGapMs apart (real
    // time): under a storm of changes Home lags a few seconds rather than load the database.
    const wait = Math.max(HOME_TIMING.debounceMs, this.lastRound + HOME_TIMING.minRoundGapMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastRound = performance.now();
      void this.queue(() => this.republish());
    }, wait);
    this.timer.unref?.();
  }

  /** Resolves when no publish is pending or running (tests). */
  async idle(): Promise<void> {
    while (this.timer) await new Promise((r) => setTimeout(r, 20));
    await this.work;
  }

  private queue(job: () => Promise<void>): Promise<void> {
    this.work = this.work.then(job, job);
    return this.work;
  }

  private async republish(): Promise<void> {
    const cutoff = this.deps.clock.now().getTime() - HOME_TIMING.viewerTtlMs;
    for (const [user, at] of [...this.viewers]) {
      if (at < cutoff) {
        this.viewers.delete(user);
        this.sent.delete(user);
        this.publishedAt.delete(user);
        continue;
      }
      await this.publish(user, false);
    }
  }

  private async publish(userId: string, force: boolean): Promise<void> {
    try {
      const view = buildHomeView(await loadHome(this.deps, userId, this.scorecards));
      // The "Updated …" line (second block) changes every time; the rest says whether anything did.
      const hash = createHash('sha256')
        .update(JSON.stringify(view.blocks.slice(2)))
        .digest('base64url');
      if (!force && this.sent.get(userId) === hash) return;
      await this.deps.slack.views.publish({ user_id: userId, view });
      this.sent.set(userId, hash);
    } catch (err) {
      this.deps.logger.warn({ user: userId, err: describeError(err) }, 'could not publish the Home tab');
    }
  }
}
