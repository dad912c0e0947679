import type { Tx } from '../db';
import { followupCounts } from '../incidents/followup-store';
import type { FollowupWeekFacts } from './types';

/** `/incident followup` in the week: opened, done, and overdue at its end (or now, if earlier). */
export async function gatherFollowupFacts(db: Tx, start: Date, end: Date, now: Date, timeZone: string): Promise<FollowupWeekFacts> {
  const cutoff = now < end ? now : end;
  // en-CA writes days as YYYY-MM-DD, the form follow-ups store their due day in.
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(cutoff);
  return followupCounts(db, start, end, cutoff, day);
}
