import type { Deps } from '../deps';
import { describeError } from '../errors';
import { weekScorecard, type Scorecard } from '../scorecard';
import { isoWeekOf } from '../summary/week';

/**
 * This week's scorecard for the Home tab. Home is re-published for every recent viewer when
 * anything it shows changes, so one computation serves them all for a minute; a failure leaves
 * the section out (logged) rather than the whole tab.
 */
const FRESH_MS = 60_000;

/** One per Home publisher (so per bot): the last scorecard computed and when. */
export class HomeScorecards {
  private hit: { key: string; at: number; card: Scorecard } | undefined;

  async get(deps: Deps, now: Date): Promise<Scorecard | null> {
    const week = isoWeekOf(now, deps.config.timezone);
    const hit = this.hit;
    if (hit && hit.key === week.key && Math.abs(now.getTime() - hit.at) < FRESH_MS) return hit.card;
    try {
      const card = await weekScorecard(deps.db, deps.config, week, now);
      this.hit = { key: week.key, at: now.getTime(), card };
      return card;
    } catch (err) {
      deps.logger.warn({ err: describeError(err) }, 'could not compute the scorecard for the Home tab');
      return null;
    }
  }
}
