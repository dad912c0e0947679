import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appHomeOpened, postSignedJson } from '../../sandbox/payloads';
import { slackViewProblems } from '../../sandbox/slack-limits';
import { run as runEscalation } from '../../jobs/escalation';
import { run as runHandoff } from '../../jobs/oncall-handoff';
import { oncallOverrides } from '../../src/db/schema';
import { getIncident, listEvents, policyOf } from '../../src/incidents/store';
import { activeOverride, activeOverrides, activeOverridesAtEach } from '../../src/oncall/store';
import { FakeClock, type TestBot } from '../support/harness';
import { SIGNING_SECRET } from '../support/slack-requests';
import { announcement, deliver, latestIncident, MIN, pagesTo, useIncidentBot } from '../incidents/support';
import { homeAtOnce } from '../home/support';

/**
 * On call end to end: signed `/ops oncall` commands, a P1 through the real escalation sweep, the
 * Home tab, all on an injected clock. The Technical Lead rotates weekly among three people,
 * Mondays 09:00 New York time, UTA first from Monday 2026-03-02.
 */
const CONFIG = {
  timezone: 'America/New_York',
  roles: {
    'ops-team': { name: 'Operations team', members: ['UOPS'] },
    'ops-manager': { name: 'Operations Manager', members: ['UMGR'] },
    'tech-lead': { name: 'Technical Lead', members: ['UTA', 'UTB', 'UTC'], rotation: { members: ['UTA', 'UTB', 'UTC'], start: '2026-03-02' } },
    cto: { name: 'CTO', members: ['UCTO'] },
    ceo: { name: 'CEO', members: ['UCEO'] },
  },
  disasterRecovery: { enabled: false },
};
const clock = new FakeClock(new Date('2026-03-06T15:00:00Z'));
let t: TestBot;
useIncidentBot({ clock, config: CONFIG, ...homeAtOnce() }, (bot) => {
  t = bot;
});

const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
async function onCall(userId = 'UNOBODY') {
  const res = await t.slash('/ops', 'oncall', { userId });
  expect(res.status).toBe(200);
  expect(res.json.response_type).toBe('ephemeral');
  return JSON.stringify(res.json.blocks);
}
async function cover(text: string, userId: string): Promise<string> {
  const res = await t.slash('/ops', `oncall cover ${text}`, { userId });
  expect(res.status).toBe(200);
  // The DMs go after the ack.
  await t.settle();
  return String(res.json.text);
}
const overrides = () => t.database.db.select().from(oncallOverrides).orderBy(oncallOverrides.id);

describe('/ops oncall across both DST changes', () => {
  it('shows the holder now and the next with the hand-off in each reader’s time zone, and hands off at 09:00 local after the spring-forward', async () => {
    clock.set('2026-03-06T15:00:00Z');
    let body = await onCall();
    expect(body).toContain('*Technical Lead*: <@UTA> on call (rotation) · next <@UTB> from ');
    // Monday 2026-03-09 09:00 EDT (the clocks went forward on the 8th) is 13:00 UTC.
    expect(body).toContain(`<!date^${unix('2026-03-09T13:00:00Z')}^{date_short_pretty} {time}|Mon 2026-03-09 09:00 EDT>`);
    // A level without a rotation pages every member, as before.
    expect(body).toContain('*CTO*: <@UCTO>');

    clock.set('2026-03-09T12:59:00Z');
    expect(await onCall()).toContain('<@UTA> on call (rotation)');
    clock.set('2026-03-09T13:00:00Z');
    body = await onCall();
    expect(body).toContain('*Technical Lead*: <@UTB> on call (rotation) · next <@UTC> from ');
    expect(body).toContain(`<!date^${unix('2026-03-16T13:00:00Z')}^`);
  });

  it('hands off at 09:00 local on the Monday after the fall-back (14:00 UTC)', async () => {
    clock.set('2026-11-02T13:59:00Z');
    let body = await onCall();
    expect(body).toContain('<@UTB> on call (rotation) · next <@UTC> from ');
    expect(body).toContain(`<!date^${unix('2026-11-02T14:00:00Z')}^{date_short_pretty} {time}|Mon 2026-11-02 09:00 EST>`);
    clock.set('2026-11-02T14:00:00Z');
    body = await onCall();
    expect(body).toContain('<@UTC> on call (rotation) · next <@UTA> from ');
    expect(body).toContain(`<!date^${unix('2026-11-09T14:00:00Z')}^`);
  });
});

describe('/ops oncall cover', () => {
  it('is refused to someone outside the role and the covering rights, naming who may; bad input gets the usage', async () => {
    clock.set('2026-03-10T15:00:00Z');
    expect(await cover('tech-lead <@UOPS> 2026-03-11', 'UOUT')).toBe(
      ':no_entry: Only the Technical Lead, Operations Manager, CTO or CEO may change who covers the Technical Lead.',
    );
    // The Operations team may not cover-manage the Technical Lead, whatever it calls itself.
    expect(await cover('tech-lead <@UOPS> 2026-03-11', 'UOPS')).toContain('may change who covers the Technical Lead');
    expect(await cover('tech-lead <@UOPS> 2026-03-10 09:00', 'UMGR')).toContain('has already passed: cover must end in the future');
    expect(await cover('tech-lead <@UOPS> tomorrow', 'UMGR')).toContain('Give the end of the cover as YYYY-MM-DD or YYYY-MM-DD HH:MM');
    expect(await cover('tech-lead nobody 2026-03-11', 'UMGR')).toContain('Name the person who covers (@mention), or `clear`.');
    expect(await cover('tech-leed <@UOPS> 2026-03-11', 'UMGR')).toContain('There is no role `tech-leed`');
    expect(await overrides()).toEqual([]);
  });

  it('is set by a member of the role, shown, replaced, cleared, and expires on its own', async () => {
    clock.set('2026-03-10T15:00:00Z'); // Tuesday: UTB holds the Technical Lead
    const reply = await cover('tech-lead <@UOPS|ops> 2026-03-11 12:00', 'UTB');
    expect(reply).toContain(`:white_check_mark: <@UOPS> covers the *Technical Lead* until <!date^${unix('2026-03-11T16:00:00Z')}^`);
    expect(reply).toContain('then <@UTB> (rotation)');
    expect(reply).toContain('They are not a member of the role');
    const [row] = await overrides();
    expect(row).toMatchObject({ role: 'tech-lead', userId: 'UOPS', setBy: 'UTB', clearedAt: null });
    expect(row!.startsAt).toEqual(new Date('2026-03-10T15:00:00Z'));
    expect(row!.endsAt).toEqual(new Date('2026-03-11T16:00:00Z'));
    await deliver(t);
    expect(
      t.slack.callsOf('chat.postMessage').some((c) => c.args.channel === 'UOPS' && String(c.args.text).includes('set you to cover the *Technical Lead*')),
    ).toBe(true);

    // The same cover asked again (a replayed request) is one row and one DM.
    expect(await cover('tech-lead <@UOPS> 2026-03-11 12:00', 'UTB')).not.toContain('It replaces');
    expect(await overrides()).toHaveLength(1);
    await deliver(t);
    expect(t.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'UOPS' && String(c.args.text).includes('set you to cover'))).toHaveLength(1);

    let body = await onCall();
    expect(body).toContain('*Technical Lead*: <@UOPS> covering until ');
    expect(body).toContain(`(set by <@UTB>) · next <@UTB> from <!date^${unix('2026-03-11T16:00:00Z')}^`);
    expect(body).toContain('*Cover in force*');

    // A new cover replaces the one in force; `clear` ends it early (rows are kept, marked).
    expect(await cover('tech-lead <@UTC> 2026-03-12', 'UMGR')).toContain("It replaces <@UOPS>'s cover.");
    expect(await cover('tech-lead clear', 'UTA')).toContain("Ended <@UTC>'s cover of the *Technical Lead*");
    expect(await cover('tech-lead clear', 'UTA')).toContain('Nobody covers the *Technical Lead* now; nothing to clear.');
    expect((await overrides()).map((o) => [o.userId, o.clearedBy])).toEqual([
      ['UOPS', 'UMGR'],
      ['UTC', 'UTA'],
    ]);
    expect(await onCall()).toContain('<@UTB> on call (rotation)');

    // Expiry: nothing to clear once `until` has passed.
    await cover('cto <@UCEO> 2026-03-10 18:00', 'UCTO');
    expect(await onCall()).toContain('*CTO*: <@UCEO> covering until ');
    clock.set('2026-03-10T22:00:00Z');
    body = await onCall();
    expect(body).toContain('*CTO*: <@UCTO>');
    expect(body).not.toContain('Cover in force');
  });
});

describe('escalation pages the current holder', () => {
  it('a P1 pages only the Technical Lead on call; the climb to the CTO pages who covers the CTO, who may acknowledge', async () => {
    const t0 = new Date('2026-03-17T15:00:00Z'); // Tuesday of UTC's week
    clock.set(t0);
    expect(await cover('cto <@UOPS> 2026-03-17 20:00', 'UCEO')).toContain('<@UOPS> covers the *CTO*');
    const res = await t.slash('/incident', 'p1 Forwarding is slow for some carriers', { userId: 'UDECL' });
    expect(res.status).toBe(200);
    const row = await t.slack.waitFor(async () => {
      const r = await latestIncident(t);
      return r?.messageTs ? r : undefined;
    });
    await deliver(t);
    expect(pagesTo(t, 'UTC', row.id)).toHaveLength(1);
    expect(pagesTo(t, 'UTA', row.id)).toHaveLength(0);
    expect(pagesTo(t, 'UTB', row.id)).toHaveLength(0);
    const paged = (await listEvents(t.database.db, row.id)).filter((e) => e.kind === 'paged');
    expect(paged.map((e) => [e.level, e.userId])).toEqual([[1, 'UTC']]);
    expect(paged[0]!.text).toContain('Technical Lead: <@UTC>');
    // The announcement names the levels as before, and who was paged.
    const body = JSON.stringify(announcement(t, row.id)!.blocks);
    expect(body).toContain('Technical Lead at once; unacknowledged, every 120 min: CTO → CEO');
    expect(body).toContain('Paged: <@UTC>');
    expect(body).not.toContain('<@UTA>');

    clock.set(new Date(t0.getTime() + 120 * MIN));
    await runEscalation(t.bot.deps, clock.now());
    await deliver(t);
    expect(pagesTo(t, 'UOPS', row.id)).toHaveLength(1);
    expect(pagesTo(t, 'UCTO', row.id)).toHaveLength(0);
    const fresh = (await getIncident(t.database.db, row.id))!;
    expect(fresh.level).toBe(2);
    expect(policyOf(fresh).chain.map((l) => l.paged)).toEqual([undefined, ['UTC'], ['UOPS'], undefined]);

    // Paged for the CTO, the Operations team member may acknowledge at that level.
    await t.slash('/incident', `ack ${row.id}`, { userId: 'UOPS' });
    await t.slack.waitFor(async () => (await getIncident(t.database.db, row.id))!.acknowledgedBy === 'UOPS');
  });

  it('a role without rotation or cover still pages every member', async () => {
    clock.set('2026-03-18T15:00:00Z'); // the CTO cover has expired
    const res = await t.slash('/incident', 'p0 Payments are down', { userId: 'UOPS' });
    expect(res.status).toBe(200);
    const row = await t.slack.waitFor(async () => {
      const r = await latestIncident(t);
      return r?.messageTs && r.summary === 'Payments are down' ? r : undefined;
    });
    await deliver(t);
    expect(pagesTo(t, 'UOPS', row.id)).toHaveLength(1);
    expect(pagesTo(t, 'UCTO', row.id)).toHaveLength(1);
    const paged = (await listEvents(t.database.db, row.id)).filter((e) => e.kind === 'paged');
    expect(paged.map((e) => e.userId)).toEqual([null, null]);
    expect(policyOf((await getIncident(t.database.db, row.id))!).chain.every((l) => l.paged === undefined)).toBe(true);
  });
});

describe('the Home tab', () => {
  it('lists who holds each level now and next', async () => {
    clock.set('2026-03-18T15:00:00Z');
    await cover('ceo <@UMGR> 2026-03-19', 'UCEO');
    const before = t.slack.callsOf('views.publish').length;
    const res = await postSignedJson(t.bot.url, appHomeOpened('UNOBODY', 'DUNOBODY'), { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    await t.slack.waitFor(() =>
      t.slack
        .callsOf('views.publish')
        .slice(before)
        .some((c) => c.args.user_id === 'UNOBODY'),
    );
    await t.bot.deps.home.idle();
    const view = t.slack.homes.get('UNOBODY')!.view;
    expect(slackViewProblems(view, 'home')).toBeNull();
    const body = JSON.stringify(view.blocks);
    expect(body).toContain(`*Technical Lead*: <@UTC> on call (rotation) · next <@UTA> from <!date^${unix('2026-03-23T13:00:00Z')}^`);
    expect(body).toContain('*CEO*: <@UMGR> covering until ');
    // Without a rotation, once the cover ends every member is paged again.
    expect(body).toContain(`(set by <@UCEO>) · next every member from <!date^${unix('2026-03-20T04:00:00Z')}^`);
    expect(body).toContain('*CTO*: <@UCTO>');
    const rows = await t.database.db.select().from(oncallOverrides).where(eq(oncallOverrides.role, 'ceo'));
    expect(rows).toHaveLength(1);
  });

  it('is published again, to whoever has it open, when a rotation hands off or a cover runs out', async () => {
    const publishes = () => t.slack.callsOf('views.publish').filter((c) => c.args.user_id === 'UNOBODY').length;
    const shown = () => JSON.stringify(t.slack.homes.get('UNOBODY')!.view.blocks);
    const open = async () => {
      const before = publishes();
      expect((await postSignedJson(t.bot.url, appHomeOpened('UNOBODY', 'DUNOBODY'), { secret: SIGNING_SECRET })).status).toBe(200);
      await t.slack.waitFor(() => publishes() > before);
      await t.bot.deps.home.idle();
      return publishes();
    };
    // The CEO's cover runs until the 20th, 00:00 New York. A minute before, Home shows it, and the job sees no change.
    clock.set('2026-03-20T03:59:00Z');
    let opened = await open();
    expect(shown()).toContain('*CEO*: <@UMGR> covering until ');
    expect(await runHandoff(t.bot.deps, clock.now())).toEqual({ changed: [] });
    await t.bot.deps.home.idle();
    expect(publishes()).toBe(opened);
    // It ran out 20 s ago, with nobody typing a command: the open Home is published again.
    clock.set('2026-03-20T04:00:20Z');
    expect(await runHandoff(t.bot.deps, clock.now())).toEqual({ changed: ['ceo'] });
    await t.slack.waitFor(() => publishes() > opened);
    await t.bot.deps.home.idle();
    expect(shown()).not.toContain('covering until');
    expect(shown()).toContain('*CEO*: <@UCEO>');
    // Monday 09:00 New York: the Technical Lead passes from UTC to UTA.
    clock.set('2026-03-23T12:59:00Z');
    opened = await open();
    expect(shown()).toContain('*Technical Lead*: <@UTC> on call (rotation)');
    clock.set('2026-03-23T13:00:10Z');
    expect(await runHandoff(t.bot.deps, clock.now())).toEqual({ changed: ['tech-lead'] });
    await t.slack.waitFor(() => publishes() > opened);
    await t.bot.deps.home.idle();
    expect(shown()).toContain('*Technical Lead*: <@UTA> on call (rotation) · next <@UTB> from ');
    // A week later nobody has opened Home for days: the next hand-off is not looked up, nothing is published.
    clock.set('2026-03-30T13:00:10Z');
    const idle = publishes();
    expect(t.bot.deps.home.watched()).toBe(false);
    expect(await runHandoff(t.bot.deps, clock.now())).toEqual({ changed: [] });
    await t.bot.deps.home.idle();
    expect(publishes()).toBe(idle);
  });
});

describe('overrides at several instants from one read (the hand-off job)', () => {
  it('gives at each instant what a read at that instant gives: the latest set per role wins, a cleared one never counts', async () => {
    const at = (iso: string) => new Date(iso);
    const row = (role: string, userId: string, from: string, to: string, cleared?: string) => ({
      role,
      userId,
      startsAt: at(from),
      endsAt: at(to),
      setBy: 'UMGR',
      createdAt: at(from),
      clearedAt: cleared ? at(cleared) : null,
      clearedBy: cleared ? 'UMGR' : null,
    });
    await t.database.db
      .insert(oncallOverrides)
      .values([
        row('cto', 'UA', '2027-01-01T10:00:00Z', '2027-01-01T12:00:00Z'),
        row('cto', 'UB', '2027-01-01T11:00:00Z', '2027-01-01T13:00:00Z'),
        row('ceo', 'UC', '2027-01-01T09:00:00Z', '2027-01-01T14:00:00Z', '2027-01-01T09:30:00Z'),
        row('ceo', 'UD', '2027-01-01T12:00:00Z', '2027-01-01T12:30:00Z'),
      ]);
    const instants = ['2027-01-01T10:30:00Z', '2027-01-01T11:30:00Z', '2027-01-01T12:15:00Z', '2027-01-01T12:30:00Z', '2027-01-01T13:30:00Z'].map(at);
    const holders = (m: Map<string, { userId: string }>) => Object.fromEntries([...m].map(([role, r]) => [role, r.userId]));
    const together = (await activeOverridesAtEach(t.database.db, instants)).map(holders);
    expect(together).toEqual([{ cto: 'UA' }, { cto: 'UB' }, { cto: 'UB', ceo: 'UD' }, { cto: 'UB' }, {}]);
    for (const [i, instant] of instants.entries()) expect(holders(await activeOverrides(t.database.db, instant))).toEqual(together[i]);
    // Against the independent per-role read (activeOverrides is the one-instant case of the same read).
    for (const [i, instant] of instants.entries()) {
      const perRole: Record<string, string> = {};
      for (const role of ['cto', 'ceo']) {
        const row = await activeOverride(t.database.db, role, instant);
        if (row) perRole[role] = row.userId;
      }
      expect(perRole).toEqual(together[i]);
    }
  });
});
