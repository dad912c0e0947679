import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentIds, incidentRef } from '../../blocks/ids';
import { inboundRequests, incidentEvents, incidents, outbox } from '../../src/db/schema';
import { onPostgres } from '../support/db';
import { blockAction, slashCommand, viewSubmission } from '../../sandbox/payloads';
import { BOT_TOKEN, postSigned, SIGNING_SECRET } from '../support/slack-requests';
import type { CrashChildSpec } from './crash-child';
import { Drill, prng, sleep, spawnLife, type Life } from './crash-support';

/**
 * Acknowledged means stored: `kill -9` the bot 0–200 ms after it acked a request
 * (0 ms included: killed from the handler of the ack itself), during bursts of slash-command
 * declarations, modal submissions and Escalate-now clicks. Slack never resends a request that got
 * its 200, so after the restarts every acknowledged request must exist exactly once, with its
 * announcement, page and reply once.
 *
 * Each life is its own process (test/faults/crash-child.ts, shared with test/faults/crash.test.ts)
 * on one database that outlives it; Slack is a stand-in in this process, so its record of every
 * call and every response_url post survives the kills. Before its burst a life gets a random
 * 0–1 s to replay what its predecessors left (src/slack/intake.ts); without that, a drill of
 * back-to-back kills would only ever test start-up.
 *
 * Replay a failure with INTAKE_CRASH_SEED=<seed printed below>; INTAKE_CRASH_KILLS overrides the count.
 */
const SEED = Number(process.env.INTAKE_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILLS = Number(process.env.INTAKE_CRASH_KILLS ?? (onPostgres() ? 50 : 12));
const DECLARES = 3;
const MODALS = 2;
const CLICKS = 3;
/** What the bot answers when the database did not take a request in time (src/slack/dispatch.ts). */
const NOTHING_DONE = 'so nothing was done';
const USER = 'UL0';

const LONG = { responseMinutes: 100_000, stepMinutes: 100_000, resolutionMinutes: 100_000 };
const CONFIG = {
  timezone: 'UTC',
  roles: { l0: { name: 'Level 0', members: [USER] }, l1: { name: 'Level 1', members: ['UL1'] } },
  checklists: [],
  incidents: {
    chain: [
      { id: 'l0', role: 'l0' },
      { id: 'l1', role: 'l1' },
    ],
    dedicatedChannel: false,
    sweepEverySeconds: 1,
    severities: Object.fromEntries(['p0', 'p1', 'p2', 'p3'].map((s) => [s, { startLevel: 'l0', alsoPage: [], smsLevels: [], ...LONG }])),
  },
};

type Sent =
  | { kind: 'declare'; trigger: string; responseId: string }
  | { kind: 'modal'; viewId: string }
  | { kind: 'click'; incident: number; responseId: string };

const lives: Life[] = [];

describe(`fault: kill -9 within 200 ms of an ack, ${KILLS} times, during bursts of declarations, modal submits and clicks (${onPostgres() ? 'PostgreSQL' : 'PGlite directory'}; seed ${SEED})`, () => {
  const rand = prng(SEED);
  let drill: Drill;
  beforeAll(async () => {
    drill = await Drill.start('intake-crash');
  }, 60_000);
  afterAll(() => drill?.close(lives), 30_000);

  it('every acknowledged request exists once, and its announcement, page and reply happen once', async () => {
    const started = Date.now();
    console.log(`intake crash drill: seed ${SEED} (replay with INTAKE_CRASH_SEED=${SEED}), ${KILLS} kills`);
    const now = Date.now();
    const spec: CrashChildSpec = {
      ...drill.where,
      slackApiUrl: drill.slack.apiUrl,
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      config: CONFIG,
      clock: { fakeOrigin: now, realOrigin: now, speed: 1 },
      probeMs: 10,
      declare: [],
      intakeLeaseMs: 1500,
    };
    const acked: Sent[] = [];
    // Answered 200 with "nothing was done" (the write did not land within the intake's time-out,
    // on a loaded machine): told honestly, so not acknowledged work.
    const refused: Sent[] = [];
    const clicked = new Set<number>();
    let sentCount = 0;
    let zeroMsKills = 0;

    const warm = [spawnLife(drill.bundle, 0, lives), spawnLife(drill.bundle, 1, lives)];
    for (let r = 0; r < KILLS; r += 1) {
      const life = warm.shift()!;
      await life.loaded;
      warm.push(spawnLife(drill.bundle, r + 2, lives));
      life.go(spec);
      const port = await readyPort(life);
      await sleep(rand() * 1000);
      const url = `http://127.0.0.1:${port}`;

      // The burst: declarations, modal submits, and Escalate now on incidents still at level 0.
      const st = await life.status();
      const targets = (st.incidents ?? []).filter((i: any) => i.level === 0 && i.messageTs && !clicked.has(i.id)).slice(0, CLICKS);
      const burst: { sent: Sent; form: Record<string, string> }[] = [];
      for (let i = 0; i < DECLARES; i += 1) {
        const sent: Sent = { kind: 'declare', trigger: `trg-${r}-${i}`, responseId: `decl-${r}-${i}` };
        burst.push({
          sent,
          form: slashCommand({
            command: '/incident',
            text: `p2 s${r}x${i}`,
            userId: USER,
            triggerId: sent.trigger,
            responseUrl: drill.slack.responseUrl(sent.responseId),
          }),
        });
      }
      for (let i = 0; i < MODALS; i += 1) {
        const sent: Sent = { kind: 'modal', viewId: `VR${r}X${i}` };
        const values = {
          [IncidentIds.severityBlock]: { [IncidentIds.severityInput]: { type: 'static_select', selected_option: { value: 'p2' } } },
          [IncidentIds.summaryBlock]: { [IncidentIds.summaryInput]: { type: 'plain_text_input', value: `m${r}x${i}` } },
          [IncidentIds.systemBlock]: { [IncidentIds.systemInput]: { type: 'static_select', selected_option: { value: 'other' } } },
        };
        burst.push({ sent, form: viewSubmission({ callbackId: IncidentIds.declareModal, privateMetadata: '', values, userId: USER, viewId: sent.viewId }) });
      }
      for (const inc of targets) {
        clicked.add(inc.id);
        const sent: Sent = { kind: 'click', incident: inc.id, responseId: `click-${r}-${inc.id}` };
        const form = blockAction({
          actionId: IncidentIds.escalate,
          value: incidentRef(inc.id, 0),
          channelId: drill.slack.channelId('incidents'),
          messageTs: inc.messageTs,
          userId: USER,
          responseUrl: drill.slack.responseUrl(sent.responseId),
        });
        burst.push({ sent, form });
      }
      sentCount += burst.length;

      // Kill 0–200 ms after the first ack; a fifth of the kills at 0 ms, from the ack's own handler.
      const delay = rand() < 0.2 ? 0 : rand() * 200;
      let kill: Promise<void> | undefined;
      const killNow = () => {
        if (life.killedAt === undefined) {
          life.killedAt = Date.now();
          life.proc.kill('SIGKILL');
        }
      };
      await Promise.allSettled(
        burst.map(async ({ sent, form }) => {
          const res = await postSigned(url, form);
          if (res.status !== 200) throw new Error(`${sent.kind} answered ${res.status}`);
          if (res.text.includes(NOTHING_DONE)) refused.push(sent);
          else acked.push(sent);
          if (!kill) {
            if (delay === 0) {
              zeroMsKills += 1;
              killNow();
            }
            kill = sleep(delay).then(killNow);
          }
        }),
      );
      if (!kill) throw new Error(`life ${r}: no request of the burst was acked: ${life.stderr().slice(-2000)}`);
      await kill;
      const exit = await life.exited;
      expect(exit.signal, `life ${r} died by itself: ${life.stderr().slice(-2000)}`).toBe('SIGKILL');
    }

    // The last life runs until every stored request is done and every page sent.
    const last = warm.shift()!;
    for (const spare of warm) spare.proc.kill('SIGKILL');
    await last.loaded;
    last.go(spec);
    await last.ready;
    const until = Date.now() + 60_000;
    for (;;) {
      const st = await last.status();
      if (!st.error && st.pendingIntake === 0 && st.pendingOutbox === 0 && st.incidents.every((i: any) => i.messageTs)) break;
      if (Date.now() > until) throw new Error(`the last life did not finish: ${JSON.stringify(st)}`);
      await sleep(300);
    }
    await sleep(500); // a response_url post of the last replay may still be on its way
    last.proc.kill('SIGTERM');
    expect((await last.exited).code, last.stderr()).toBe(0);

    const own = await drill.openDatabase();
    try {
      const db = own.db;
      const incs = await db.select().from(incidents).orderBy(asc(incidents.id));
      const events = await db.select().from(incidentEvents);
      const pages = await db.select().from(outbox);
      const requests = await db.select().from(inboundRequests);
      const byKey = new Map(incs.map((i) => [i.dedupeKey, i]));
      const announcements = (id: number) =>
        drill.slack.calls.filter(
          (c) =>
            c.method === 'chat.postMessage' &&
            !c.args.thread_ts &&
            String(c.args.text).includes(`incident #${id}:`) &&
            drill.slack.channelId(String(c.args.channel)) === drill.slack.channelId('incidents'),
        );
      const replies = (responseId: string) => drill.slack.responses.filter((x) => x.id === responseId);
      const lost: string[] = [];
      const twice: string[] = [];
      for (const s of acked) {
        if (s.kind === 'click' && replies(s.responseId).some((x) => JSON.stringify(x.body).includes(NOTHING_DONE))) {
          refused.push(s);
          continue;
        }
        if (s.kind === 'click') {
          const escalations = events.filter((e) => e.incidentId === s.incident && e.kind === 'escalated');
          if (escalations.length === 0) lost.push(`click on #${s.incident}`);
          if (escalations.length > 1) twice.push(`click on #${s.incident} (${escalations.length} escalations)`);
          const sentPages = drill.slack.calls.filter(
            (c) => c.method === 'chat.postMessage' && c.args.channel === 'UL1' && String(c.args.text).includes(`incident #${s.incident}:`),
          );
          if (escalations.length === 1) expect(sentPages, `the level-1 page of #${s.incident}`).toHaveLength(1);
          continue;
        }
        const inc = byKey.get(s.kind === 'declare' ? `trigger:${s.trigger}` : `view:${s.viewId}`);
        const what = s.kind === 'declare' ? `declaration ${s.trigger}` : `modal ${s.viewId}`;
        if (!inc) {
          lost.push(what);
          continue;
        }
        expect(announcements(inc.id), `announcement of #${inc.id} (${what})`).toHaveLength(1);
        if (s.kind === 'declare') {
          // What the person sees: an answer that replaces the "⏳ Declaring…" placeholder shows once
          // however often it is sent (a replay cannot know whether the dead process sent it); any
          // other answer is a message of its own.
          const told = replies(s.responseId).filter((x) => new RegExp(`#${inc.id}\\b`).test(JSON.stringify(x.body)));
          const replacing = told.filter((x) => x.body.replace_original === true || x.body.replace_original === 'true');
          const seen = told.length - replacing.length + (replacing.length ? 1 : 0);
          if (seen === 0) lost.push(`reply to ${what}`);
          if (seen > 1) twice.push(`reply to ${what} (${told.length} answers, ${replacing.length} replacing)`);
        }
      }
      // Every incident, acknowledged or not: one announcement, its pages queued once each.
      for (const inc of incs) {
        expect(announcements(inc.id), `announcement of #${inc.id}`).toHaveLength(1);
        const refs = pages.filter((o) => o.ref.startsWith(`page:${inc.id}:`)).map((o) => o.channel);
        expect(new Set(refs).size, `pages of #${inc.id}`).toBe(refs.length);
      }
      const replayed = requests.filter((q) => q.attempts > 1).length;
      console.log(
        `intake crash drill: ${KILLS} kills (${zeroMsKills} at 0 ms), ${sentCount} requests sent, ${acked.length} acknowledged ` +
          `(${acked.filter((a) => a.kind === 'declare').length} declarations, ${acked.filter((a) => a.kind === 'modal').length} modal submits, ${acked.filter((a) => a.kind === 'click').length} clicks); ` +
          `${refused.length} answered "nothing was done"; ${requests.length} stored, ${replayed} replayed after a kill; ${incs.length} incidents; lost: ${lost.length}, twice: ${twice.length}; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(lost).toEqual([]);
      expect(twice).toEqual([]);
      // Honest refusals are the exception (a machine too loaded to write in 2 s), never the rule.
      expect(refused.length).toBeLessThan(acked.length);
      expect(requests.filter((q) => !q.doneAt || q.lastError?.startsWith('given up'))).toEqual([]);
    } finally {
      await drill.release(own);
    }
  }, 300_000);
});

async function readyPort(life: Life): Promise<number> {
  await life.ready;
  const line = life.readyLine;
  return Number(line?.split(' ')[1]);
}
