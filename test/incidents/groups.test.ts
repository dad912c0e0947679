import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runEscalation } from '../../jobs/escalation';
import { declareIncident } from '../../src/incidents/flows';
import { getIncident } from '../../src/incidents/store';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';
import { deliver, MIN } from './support';

/** Paged user groups: mentioned in the pages, and their members invited to the incident channel. */
const clock = new FakeClock(new Date('2026-05-04T14:00:00Z'));
let t: TestBot;
beforeAll(async () => {
  t = await startTestBot({
    clock,
    config: {
      roles: {
        'ops-team': { name: 'Operations team', members: ['UOPS'], groups: ['SOPS', 'SGONE'] },
        'tech-lead': { name: 'Technical Lead', members: [], groups: ['STECH'] },
        cto: { name: 'CTO', members: ['UCTO'] },
        ceo: { name: 'CEO', members: ['UCEO'] },
      },
    },
  });
  t.slack.usergroups.set('SOPS', ['UGA', 'UGB', 'UOPS']);
  t.slack.usergroups.set('STECH', ['UTA']);
  // SGONE is not a group Slack knows (deleted since the config was written).
});
afterAll(() => t.close());

describe('user groups on the escalation chain', () => {
  it("the incident channel invites the paged groups' members, and those paged later on escalation", async () => {
    const { incident } = await declareIncident(t.bot.deps, {
      severity: 'p0',
      summary: 'Groups paged',
      declaredBy: 'UDECL',
      source: 'slash',
      dedupeKey: 'groups:1',
    });
    await t.bot.deps.refreshes.incidents.idle();
    const invite = t.slack.callsOf('conversations.invite').at(-1)!;
    expect(String(invite.args.users).split(',').sort()).toEqual(['UCTO', 'UDECL', 'UGA', 'UGB', 'UOPS']);
    expect(t.logs.some((l) => l.includes('could not list a paged user group') && l.includes('SGONE'))).toBe(true);
    const row = (await getIncident(t.database.db, incident.id))!;
    expect(invite.args.channel).toBe(row.incidentChannel);

    // Unacknowledged at 15 min: the Technical Lead level (a group only) is paged and invited.
    const at = new Date(clock.now().getTime() + 15 * MIN);
    clock.set(at);
    await runEscalation(t.bot.deps, at);
    await deliver(t);
    await t.bot.deps.refreshes.incidents.idle();
    expect((await getIncident(t.database.db, incident.id))!.level).toBe(1);
    const later = t.slack.callsOf('conversations.invite').at(-1)!;
    expect(later.args.channel).toBe(row.incidentChannel);
    expect(String(later.args.users).split(',')).toContain('UTA');
  });
});
