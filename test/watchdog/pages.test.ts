import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxJob } from '../../jobs/outbox';
import { remindersJob } from '../../jobs/timers';
import { TwilioSmsStandin } from '../../sandbox/standins/twilio-sms';
import { checklistRuns, outbox } from '../../src/db/schema';
import { JobMonitor } from '../../src/watchdog/monitor';
import { watchdogJob } from '../../src/watchdog/pages';
import { FakeClock, startTestBot, type TestBot } from '../support/harness';

const twilio = new TwilioSmsStandin();
let t: TestBot;
const clock = new FakeClock(new Date('2026-03-02T16:00:00Z'));
const MANAGER = 'UOPSMGR1';

beforeAll(async () => {
  await twilio.start();
  t = await startTestBot({
    clock,
    config: {
      roles: {
        'ops-manager': { name: 'Operations Manager', members: [MANAGER] },
        'ops-team': { name: 'Operations team' },
        'tech-lead': { name: 'Technical Lead' },
        cto: { name: 'CTO' },
        ceo: { name: 'CEO' },
        'product-manager': { name: 'Product Manager' },
      },
      incidents: { phones: { [MANAGER]: '+15551230000' } },
    },
    env: { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_API_URL: twilio.url, TWILIO_FROM_NUMBER: '+15559990000' },
  });
});
afterAll(async () => {
  await t?.close();
  await twilio.close();
});

const morning = () => t.config.checklists.find((c) => c.id === 'morning')!;

describe('watchdog: the bot pages the Operations Manager about itself, once per event', () => {
  it('a missed slot, a slot posted past its grace and a stalled job each page once by Slack DM and SMS', async () => {
    const def = morning();
    await t.bot.deps.db.insert(checklistRuns).values([
      {
        checklistId: 'morning',
        periodKey: '2026-03-02T09:00',
        kind: 'scheduled',
        state: 'missed',
        scheduledFor: new Date('2026-03-02T14:00:00Z'),
        definition: def,
        channel: 'ops',
        createdAt: new Date('2026-03-02T15:10:00Z'),
      },
      // Posted 50 min after its slot: past the grace.
      {
        checklistId: 'evening',
        periodKey: '2026-03-01T17:00',
        kind: 'scheduled',
        state: 'open',
        scheduledFor: new Date('2026-03-01T22:00:00Z'),
        definition: { ...def, name: 'Evening', graceMinutes: 30 },
        channel: 'ops',
        messageTs: '1.1',
        createdAt: new Date('2026-03-01T22:50:00Z'),
        postedAt: new Date('2026-03-01T22:50:00Z'),
      },
      // On time: no page.
      {
        checklistId: 'afternoon',
        periodKey: '2026-03-02T10:00',
        kind: 'scheduled',
        state: 'open',
        scheduledFor: new Date('2026-03-02T15:00:00Z'),
        definition: { ...def, name: 'Afternoon', graceMinutes: 30 },
        channel: 'ops',
        messageTs: '1.2',
        createdAt: new Date('2026-03-02T15:00:10Z'),
        postedAt: new Date('2026-03-02T15:00:10Z'),
      },
    ]);
    const monitor = new JobMonitor({ stalledAfterMs: 10 * 60_000 });
    monitor.hooks.onStart?.([{ name: 'outbox', everyMs: 2000, run: async () => ({}) }], new Date('2026-03-02T15:40:00Z'));
    const job = watchdogJob(monitor);

    const first = (await job.run(t.bot.deps, clock.now())) as { paged: string[] };
    expect(first.paged.sort()).toEqual(['late-post:2', 'missed:1', 'stalled:outbox:2026-03-02T15:40:00.000Z']);
    // Again, as a second sweep or a second replica would: nothing new.
    expect(await job.run(t.bot.deps, clock.now())).toEqual({ paged: [] });

    const queued = await t.bot.deps.db.select().from(outbox).where(eq(outbox.channel, MANAGER));
    expect(queued).toHaveLength(3);
    await outboxJob.run(t.bot.deps, clock.now());
    const dms = t.slack.callsOf('chat.postMessage').map((c) => String(c.args.text));
    expect(dms.filter((x) => x.includes('DrainPro Ops watchdog'))).toHaveLength(3);
    expect(dms.join('\n')).toContain('was not posted (missed slot)');
    expect(dms.join('\n')).toContain('was posted 50 min late (grace 30 min)');
    expect(dms.join('\n')).toContain('outbox job has not completed for 20 min');

    await remindersJob.run(t.bot.deps, clock.now());
    await remindersJob.run(t.bot.deps, clock.now());
    expect(twilio.sent.map((s) => s.to)).toEqual(['+15551230000', '+15551230000', '+15551230000']);
    expect(twilio.sent.map((s) => s.body).join('\n')).toContain('DrainPro Ops watchdog: The Morning');
  });
});
