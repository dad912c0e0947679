import { describe, expect, it } from 'vitest';
import { buildOpsConfig } from '../../src/config/ops-config';
import { roleOnCallAt } from '../../src/oncall/holders';
import { rotationProblems, rotationSchema, rotationTurn } from '../../src/oncall/rotation';
import { parseUntil } from '../../src/oncall/until';

const NY = 'America/New_York';
// Mondays 09:00 New York; the first hand-off to UA is Monday 2026-03-02 (EST, UTC-5).
const rotation = rotationSchema.parse({ members: ['UANN', 'UBEN', 'UCAT'], handoff: { weekday: 'monday', time: '09:00' }, start: '2026-03-02' });
const iso = (s: string) => new Date(s);

describe('who holds a weekly rotation at an instant', () => {
  it('hands off at 09:00 New York time on the Monday after the spring-forward (13:00 UTC, not 14:00)', () => {
    // 2026-03-08 02:00 the clocks go forward; Monday 2026-03-09 09:00 EDT is 13:00 UTC.
    const before = rotationTurn(rotation, NY, iso('2026-03-09T12:59:59Z'));
    expect(before.userId).toBe('UANN');
    expect(before.since).toEqual(iso('2026-03-02T14:00:00Z'));
    expect(before.until).toEqual(iso('2026-03-09T13:00:00Z'));
    expect(before.nextUserId).toBe('UBEN');
    const after = rotationTurn(rotation, NY, iso('2026-03-09T13:00:00Z'));
    expect(after).toEqual({ userId: 'UBEN', since: iso('2026-03-09T13:00:00Z'), until: iso('2026-03-16T13:00:00Z'), nextUserId: 'UCAT' });
  });

  it('hands off at 09:00 New York time on the Monday after the fall-back (14:00 UTC, not 13:00)', () => {
    // 2026-11-01 02:00 the clocks go back; Monday 2026-11-02 09:00 EST is 14:00 UTC.
    const before = rotationTurn(rotation, NY, iso('2026-11-02T13:30:00Z'));
    expect(before.since).toEqual(iso('2026-10-26T13:00:00Z'));
    expect(before.until).toEqual(iso('2026-11-02T14:00:00Z'));
    const after = rotationTurn(rotation, NY, iso('2026-11-02T14:00:00Z'));
    expect(after.userId).toBe(before.nextUserId);
    expect(after.until).toEqual(iso('2026-11-09T14:00:00Z'));
    // 35 weeks after the start: members in order, round and round (35 % 3 = 2 → UCAT).
    expect(after.userId).toBe('UCAT');
  });

  it('counts weeks in order, before the start too, and on the hand-off day before the hand-off time', () => {
    const holders = [0, 1, 2, 3, 4].map((w) => rotationTurn(rotation, NY, new Date(iso('2026-03-02T15:00:00Z').getTime() + w * 7 * 86_400_000)).userId);
    expect(holders).toEqual(['UANN', 'UBEN', 'UCAT', 'UANN', 'UBEN']);
    expect(rotationTurn(rotation, NY, iso('2026-02-27T12:00:00Z')).userId).toBe('UCAT');
    // Monday 08:59 local is still last week's holder.
    expect(rotationTurn(rotation, NY, iso('2026-03-16T12:59:00Z')).userId).toBe('UBEN');
  });

  it('uses its own time zone when given, and the business one otherwise; a default start is the first hand-off weekday of 2026', () => {
    const tokyo = rotationSchema.parse({ members: ['UANN', 'UBEN'], handoff: { weekday: 'friday', time: '18:00' }, timeZone: 'Asia/Tokyo' });
    const turn = rotationTurn(tokyo, NY, iso('2026-01-02T09:00:00Z'));
    expect(turn.since).toEqual(iso('2026-01-02T09:00:00Z'));
    expect(turn.userId).toBe('UANN');
    expect(rotationSchema.parse({ members: ['UANN'] }).handoff).toEqual({ weekday: 'monday', time: '09:00' });
  });

  it('an override comes first; the next holder is the rotation at its end', () => {
    const config = buildOpsConfig({
      roles: {
        'tech-lead': {
          name: 'Technical Lead',
          members: ['UANN', 'UBEN', 'UCAT', 'UXAV'],
          rotation: { members: ['UANN', 'UBEN', 'UCAT'], start: '2026-03-02' },
        },
      },
    });
    const at = iso('2026-03-10T12:00:00Z');
    const override = {
      id: 1,
      role: 'tech-lead',
      userId: 'UXAV',
      startsAt: iso('2026-03-10T00:00:00Z'),
      endsAt: iso('2026-03-17T00:00:00Z'),
      setBy: 'UANN',
      createdAt: at,
      clearedAt: null,
      clearedBy: null,
    };
    const covered = roleOnCallAt(config, 'tech-lead', override, at);
    expect(covered.holder).toEqual({ userId: 'UXAV', source: 'override' });
    expect(covered.next).toEqual({ userId: 'UCAT', source: 'rotation', at: override.endsAt });
    expect(roleOnCallAt(config, 'tech-lead', null, at).holder).toEqual({ userId: 'UBEN', source: 'rotation' });
    expect(roleOnCallAt(config, 'cto', null, at)).toEqual({ role: 'cto', holder: null, override: null, next: null });
  });

  it('names what is wrong with a rotation', () => {
    const bad = rotationSchema.parse({
      members: ['UANN', 'bob', 'UZED', 'UANN'],
      handoff: { weekday: 'monday' },
      timeZone: 'Mars/Olympus',
      start: '2026-03-03',
    });
    expect(rotationProblems(bad, ['UANN'])).toEqual([
      { path: ['members', 1], message: '"bob" is not a Slack user id (U… or W…)' },
      { path: ['members', 2], message: `"UZED" is not in the role's members (rights follow the members: add them there too)` },
      { path: ['members', 3], message: '"UANN" is listed twice' },
      { path: ['timeZone'], message: '"Mars/Olympus" is not an IANA time zone name' },
      { path: ['start'], message: '2026-03-03 is a tuesday, not the hand-off weekday (monday)' },
    ]);
  });
});

describe('the end of a cover', () => {
  const now = iso('2026-03-06T15:00:00Z'); // Friday 10:00 New York
  it('takes a day (through its end) or a day and a time, in the business time zone', () => {
    expect(parseUntil(['2026-03-09'], now, NY)).toEqual({ at: iso('2026-03-10T04:00:00Z') });
    expect(parseUntil(['2026-03-09', '09:00'], now, NY)).toEqual({ at: iso('2026-03-09T13:00:00Z') });
    expect(parseUntil(['2026-03-07T18:30'], now, NY)).toEqual({ at: iso('2026-03-07T23:30:00Z') });
  });
  it('refuses the past, a far future, and what is no date', () => {
    expect(parseUntil(['2026-03-06', '09:00'], now, NY)).toEqual({
      problem: '2026-03-06 09:00 (America/New_York) has already passed: cover must end in the future.',
    });
    expect('problem' in parseUntil(['2027-03-06'], now, NY)).toBe(true);
    expect(parseUntil(['friday'], now, NY)).toEqual({ problem: 'Give the end of the cover as YYYY-MM-DD or YYYY-MM-DD HH:MM (not `friday`).' });
    expect('problem' in parseUntil(['2026-02-30'], now, NY)).toBe(true);
    expect('problem' in parseUntil(['2026-03-09', '25:00'], now, NY)).toBe(true);
    expect('problem' in parseUntil([], now, NY)).toBe(true);
  });
});
