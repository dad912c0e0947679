import { and, asc, eq, isNull } from 'drizzle-orm';
import { escapeMrkdwn, mention, mrkdwn } from '../../blocks/format';
import { followupDoneButton } from '../../blocks/review';
import { incidentFollowups } from '../db/schema';
import type { Db } from '../db';
import type { Deps } from '../deps';
import { enqueue } from '../outbox';
import { followupRefusal } from '../rights';
import { wallTimeToInstant } from '../schedule';
import { scheduleTimer, type TimerHandler } from '../timers';
import type { ActionResult } from './flows';
import { lockIncident, TimerKinds } from './store';
import { recordEvent } from './steps';

export type FollowupRow = typeof incidentFollowups.$inferSelect;

/** Reminders go out at 09:00 business time on the due day. */
const REMIND_AT_HOUR = 9;

/**
 * `/incident followup <id> <text> [@owner] [YYYY-MM-DD]`: stored with its owner (the person
 * who typed it, unless named) and due day, on the timeline, reminded on the due day.
 */
export async function addFollowup(
  deps: Deps,
  input: { id: number; userId: string; text: string; owner: string; dueOn: string | null },
): Promise<ActionResult & { followupId?: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx): Promise<ActionResult & { followupId?: number }> => {
    const row = await lockIncident(tx, input.id);
    if (!row) return { kind: 'not_found', message: mrkdwn`There is no incident #${input.id}.` };
    const refusal = followupRefusal(deps.config, input.userId, row.id);
    if (refusal) return { kind: 'refused', message: escapeMrkdwn(refusal) };
    const [f] = await tx
      .insert(incidentFollowups)
      .values({ incidentId: row.id, text: input.text, owner: input.owner, dueOn: input.dueOn, createdBy: input.userId, createdAt: now })
      .returning();
    const due = input.dueOn ? `, due ${input.dueOn}` : '';
    await recordEvent(tx, row, { kind: 'followup', userId: input.userId, text: `Follow-up ${f!.id}${due}: ${input.text}` }, now);
    if (input.dueOn) {
      const [y, m, d] = input.dueOn.split('-').map(Number) as [number, number, number];
      const at = new Date(wallTimeToInstant({ year: y, month: m, day: d, hour: REMIND_AT_HOUR, minute: 0 }, deps.config.timezone));
      await scheduleTimer(tx, { kind: TimerKinds.followup, refId: String(f!.id), dueAt: at > now ? at : now });
    }
    const when = input.dueOn ? mrkdwn`; I remind them on ${escapeMrkdwn(input.dueOn)} at 09:00` : mrkdwn``;
    return {
      kind: 'done',
      incident: row,
      followupId: f!.id,
      message: mrkdwn`Follow-up ${f!.id} saved on incident #${row.id} for ${mention(input.owner)}${when}.`,
    };
  });
}

export function followupReminderHandler(): TimerHandler {
  return async (tx, t, now) => {
    const [f] = await tx
      .select()
      .from(incidentFollowups)
      .where(eq(incidentFollowups.id, Number(t.refId)));
    if (!f || f.doneAt) return;
    const text = mrkdwn`:spiral_note_pad: ${mention(f.owner)} — follow-up ${f.id} of incident #${f.incidentId} is due today: ${escapeMrkdwn(f.text)}`;
    await enqueue(
      tx,
      { channel: f.owner, ref: `followup:${f.id}`, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, followupDoneButton(f.id)] },
      now,
    );
  };
}

/** Open follow-ups a person owns, oldest due first (the Home tab). */
export async function openFollowupsOf(db: Db, owner: string, limit: number): Promise<FollowupRow[]> {
  return db
    .select()
    .from(incidentFollowups)
    .where(and(eq(incidentFollowups.owner, owner), isNull(incidentFollowups.doneAt)))
    .orderBy(asc(incidentFollowups.dueOn), asc(incidentFollowups.id))
    .limit(limit);
}
