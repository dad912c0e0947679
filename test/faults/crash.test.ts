import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checklistParts, isThreaded } from '../../blocks/checklist';
import { defaultChecklists } from '../../src/checklists';
import { buildOpsConfig } from '../../src/config/ops-config';
import type { Database } from '../../src/db';
import { checklistRuns, incidentEvents, incidents, outbox, timers } from '../../src/db/schema';
import type { Deps } from '../../src/deps';
import { loadRunView } from '../../src/runs/flow';
import { onPostgres } from '../support/db';
import type { RecordedCall } from '../../sandbox/slack-workspace';
import { BOT_TOKEN, SIGNING_SECRET } from '../support/slack-requests';
import type { CrashChildSpec } from './crash-child';
import { Drill, prng, sleep, spawnLife, type Life } from './crash-support';

/**
 * Crash (issue #8): `kill -9` the bot at random points of escalation chains and checklist posts;
 * after each restart nothing is lost and nothing is repeated.
 *
 * Every life of the bot is its own process (test/faults/crash-child.ts) on one database that
 * outlives it: a fresh PostgreSQL database (DATABASE_URL) or a PGlite directory on disk. Slack is a
 * stand-in in this process, so its record of every call survives the kills. Time is a scaled
 * clock (SPEED× real time, running on while the bot is dead): a one-minute escalation step comes
 * due every two seconds, a checklist scheduled every minute has a new period every two seconds.
 * Each life runs both: the scheduler's start-up tick posts the newest period of a threaded
 * checklist (probes, main message, thread parts), the escalation sweep climbs the incidents
 * declared so far, the outbox sends their pages; the test kills it a random time after it starts.
 *
 * Both the database and Slack are held to exactly once. A message that reached Slack but whose
 * result was not committed before the kill is not sent again: the next life finds the send's key
 * in `slack_sends`, and the message in Slack by its metadata (src/slack/send-once.ts); a channel
 * made but not saved is found by its name, which carries the incident's number.
 *
 * Replay a failure with CRASH_SEED=<seed printed below>; CRASH_KILLS overrides the count.
 */
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
// A PGlite life takes ~2.5 s to reopen its directory (crash recovery included) against ~0.3 s on
// PostgreSQL, so the embedded variant is kept short to stay within the suite's time budget.
const KILLS = Number(process.env.CRASH_KILLS ?? (onPostgres() ? 50 : 12));
const INCIDENT_EVERY = onPostgres() ? 6 : 3;
/** Kill delays, real ms after the life reports ready (a tenth of the kills land during start-up). */
const MAX_DELAY_MS = onPostgres() ? 1500 : 2500;
const SPEED = 30;
const VERBOSE = Boolean(process.env.CRASH_VERBOSE);
const CHAIN = ['l0', 'l1', 'l2', 'l3', 'l4', 'l5'];
const TOP = CHAIN.length - 1;
const CHECKLIST = 'weekly-review';

const CONFIG = {
  timezone: 'UTC',
  roles: Object.fromEntries(CHAIN.map((id, i) => [id, { name: `Level ${i}`, members: [`UL${i}`] }])),
  // A day long, so its overdue reminders stay out of the drill (they would keep queueing messages).
  checklists: [{ ...defaultChecklists.find((c) => c.id === CHECKLIST)!, schedule: '* * * * *', durationMinutes: 24 * 60 }],
  incidents: {
    chain: CHAIN.map((id) => ({ id, role: id })),
    sweepEverySeconds: 1,
    severities: Object.fromEntries(
      ['p0', 'p1', 'p2', 'p3'].map((s) => [
        s,
        { startLevel: 'l0', alsoPage: [], smsLevels: [], ...(s === 'p1' ? { responseMinutes: 1, stepMinutes: 1, resolutionMinutes: 100_000 } : {}) },
      ]),
    ),
  },
};

const lives: Life[] = [];

describe(`fault: kill -9 during escalation chains and checklist posts, ${KILLS} times (${onPostgres() ? 'PostgreSQL' : 'PGlite directory'}; seed ${SEED})`, () => {
  const rand = prng(SEED);
  let drill: Drill;
  beforeAll(async () => {
    drill = await Drill.start('crash');
  }, 60_000);
  afterAll(() => drill?.close(lives), 30_000);

  it('nothing lost, nothing repeated, in the database and in Slack', async () => {
    const started = Date.now();
    console.log(`crash drill: seed ${SEED} (replay with CRASH_SEED=${SEED}), ${KILLS} kills`);
    const realOrigin = Date.now();
    const fakeOrigin = Date.parse('2026-04-01T14:00:30Z');
    const declare: string[] = [];
    const specFor = (jumpMs = 0): CrashChildSpec => ({
      ...drill.where,
      slackApiUrl: drill.slack.apiUrl,
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      config: CONFIG,
      clock: { fakeOrigin: fakeOrigin + jumpMs, realOrigin, speed: SPEED },
      probeMs: 50 + Math.floor(rand() * 250),
      declare: [...declare],
    });

    // The kill loop. The next two lives load their modules (~3 s here) while the current one runs.
    const warm = [spawnLife(drill.bundle, 0, lives), spawnLife(drill.bundle, 1, lives)];
    let readyMs = 0;
    for (let r = 0; r < KILLS; r += 1) {
      const life = warm.shift()!;
      await life.loaded;
      warm.push(spawnLife(drill.bundle, r + 2, lives));
      // Short keys ending in a letter: the stand-in makes a channel id of the name's first 19
      // characters, so longer names (or a `-2` retry name) could collide.
      if (r % INCIDENT_EVERY === 0) declare.push(`k${r}x`);
      const early = rand() < 0.1;
      const delay = rand() * (early ? Math.max(readyMs, 200) : MAX_DELAY_MS);
      const goAt = Date.now();
      life.go(specFor());
      if (early) await Promise.race([sleep(delay), life.ready]);
      else {
        await life.ready;
        readyMs = Date.now() - goAt;
        await sleep(delay);
      }
      life.killedAt = Date.now();
      life.proc.kill('SIGKILL');
      if (VERBOSE)
        console.log(
          `life ${r}: ready after ${readyMs} ms, killed ${early ? 'early' : ''} at +${life.killedAt - goAt} ms; ${drill.slack.calls.length} Slack calls so far`,
        );
      const exit = await life.exited;
      expect(exit.signal, `life ${r} died by itself: ${life.stderr().slice(-2000)}`).toBe('SIGKILL');
    }

    // The last life runs to completion. Its clock starts ten fake minutes later (the bot was down
    // a while): the delivery leases of runs killed mid-post have expired, so it re-posts them at once.
    const last = warm.shift()!;
    for (const spare of warm) spare.proc.kill('SIGKILL');
    await last.loaded;
    last.go(specFor(10 * 60_000));
    await last.ready;
    const killPhaseMs = Date.now() - started;
    let st: any;
    const until = Date.now() + 60_000;
    for (;;) {
      st = await last.status();
      const done =
        !st.error &&
        st.incidents.length === declare.length &&
        st.incidents.every((i: any) => i.level === TOP && i.messageTs && i.channel) &&
        st.pendingOutbox === 0 &&
        st.unpostedRuns.length === 0;
      if (done) break;
      if (VERBOSE) console.log(`last life: ${JSON.stringify(st)}`);
      if (Date.now() > until) throw new Error(`the last life did not finish: ${JSON.stringify(st)}`);
      await sleep(500);
    }
    // Quiet: let in-flight sends finish before a clean stop (announcements keep being refreshed
    // with chat.update as the SLA clock runs, so those are not waited for).
    const sends = () => drill.slack.calls.filter((c) => c.method !== 'chat.update').length;
    for (let n = -1, quietUntil = Date.now() + 15_000; n !== sends() && Date.now() < quietUntil; ) {
      n = sends();
      await sleep(1500);
    }
    last.proc.kill('SIGTERM');
    expect((await last.exited).code, last.stderr()).toBe(0);

    const own = await drill.openDatabase();
    try {
      await verify(own.db);
    } finally {
      await drill.release(own);
    }
    console.log(`crash drill: kill phase ${(killPhaseMs / 1000).toFixed(1)} s, whole drill ${((Date.now() - started) / 1000).toFixed(1)} s`);

    async function verify(db: Database['db']) {
      const logs = lives.flatMap((l) => l.logs);
      const killed = lives.filter((l) => l.killedAt !== undefined);
      /** The life running at real time `at`: lives never overlap once given their spec. */
      const lifeAt = (at: number) => lives.find((l) => l.goAt !== undefined && l.goAt <= at && (l.exitAt ?? Infinity) >= at);

      // --- Incidents: one per key, every step of the chain once and in order.
      const incs = await db.select().from(incidents).orderBy(asc(incidents.id));
      expect(incs.map((i) => i.dedupeKey).sort()).toEqual(declare.map((k) => `crash:${k}`).sort());
      const events = await db.select().from(incidentEvents).orderBy(asc(incidentEvents.id));
      const outboxRows = await db.select().from(outbox).orderBy(asc(outbox.id));
      for (const inc of incs) {
        expect(inc.level).toBe(TOP);
        const mine = events.filter((e) => e.incidentId === inc.id);
        expect(mine.filter((e) => e.kind === 'declared')).toHaveLength(1);
        expect(mine.filter((e) => e.kind === 'escalated').map((e) => e.level)).toEqual([1, 2, 3, 4, 5]);
        expect(mine.filter((e) => e.kind === 'paged').map((e) => e.level)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(mine.filter((e) => e.kind === 'channel')).toHaveLength(1);
        // One page per level, queued once.
        expect(outboxRows.filter((o) => o.ref.startsWith(`page:${inc.id}:`)).map((o) => o.channel)).toEqual(CHAIN.map((_, i) => `UL${i}`));
      }
      const responseTimers = (await db.select().from(timers)).filter((t) => t.kind === 'incident-response');
      for (const inc of incs) expect(responseTimers.filter((t) => t.refId === String(inc.id) && t.firedAt)).toHaveLength(TOP);
      // Committed before the kill stays committed (a lost commit would show as a changed ts).
      for (const l of logs.filter((x) => x.msg === 'incident declared')) expect(incs.some((i) => i.id === l.incident)).toBe(true);

      // --- The outbox: nothing queued twice, everything delivered.
      const key = (o: { channel: string; threadTs: string | null; text: string }) => `${o.channel}|${o.threadTs ?? ''}|${o.text}`;
      expect(new Set(outboxRows.map(key)).size).toBe(outboxRows.length);
      expect(outboxRows.filter((o) => !o.deliveredAt)).toEqual([]);

      // --- Checklist runs: one row per period, no gap between the first and the last period, every
      // run posted with all its thread parts, and what a life logged as posted is what is stored.
      const runs = await db.select().from(checklistRuns).orderBy(asc(checklistRuns.scheduledFor));
      const periods = runs.map((r) => r.scheduledFor!.getTime());
      expect(new Set(runs.map((r) => r.periodKey)).size).toBe(runs.length);
      for (let i = 1; i < periods.length; i += 1) expect(periods[i]! - periods[i - 1]!).toBe(60_000);
      const posted = runs.filter((r) => r.state !== 'missed');
      const config = buildOpsConfig(CONFIG);
      const deps = { db, config } as unknown as Deps;
      for (const run of posted) {
        expect(run.messageTs, `run ${run.id} (${run.periodKey}) never posted`).toBeTruthy();
        const view = (await loadRunView(deps, run.id))!.view;
        expect(isThreaded(view)).toBe(true);
        const parts = checklistParts(view).map((p) => p.key);
        expect(Object.keys(run.sectionMessages).sort(), `run ${run.id} thread parts`).toEqual([...parts].sort());
      }
      for (const l of logs.filter((x) => x.msg === 'checklist posted'))
        expect(runs.find((r) => r.id === l.runId)?.messageTs, `run ${l.runId} as logged by life ${l.life}`).toBe(l.ts);

      // --- Slack: every message exactly once.
      const calls = drill.slack.calls;
      /** A send whose result was never saved (every copy but the last): the next life sent it again. */
      interface Unsaved {
        what: string;
        call: RecordedCall;
      }
      const dups: Unsaved[] = [];
      const count = (what: string, matching: RecordedCall[]) => {
        expect(matching.length, `${what} reached Slack`).toBeGreaterThanOrEqual(1);
        for (const call of matching.slice(0, -1)) dups.push({ what, call });
      };
      for (const o of outboxRows) {
        const method = o.user ? 'chat.postEphemeral' : 'chat.postMessage';
        count(
          `outbox ${o.id} (${o.ref})`,
          calls.filter((c) => c.method === method && c.args.channel === o.channel && c.args.text === o.text && (c.args.thread_ts ?? null) === o.threadTs),
        );
      }
      for (const inc of incs) {
        count(
          `announcement of #${inc.id}`,
          calls.filter(
            (c) =>
              c.method === 'chat.postMessage' &&
              !c.args.thread_ts &&
              String(c.args.channel) === 'incidents' &&
              String(c.args.text).includes(`incident #${inc.id}:`),
          ),
        );
        const name = new RegExp(`-${inc.dedupeKey!.slice('crash:'.length)}(-\\d+)?$`);
        // Channels that exist (a create refused with name_taken made none).
        const made = [...drill.slack.channels.values()]
          .filter((ch) => name.test(ch.name))
          .map((ch) => calls.find((c) => c.method === 'conversations.create' && c.args.name === ch.name)!);
        count(
          `channel of #${inc.id}`,
          made.sort((x, y) => x.at - y.at),
        );
      }
      // A threaded run's main message names no run (its text is the checklist and the day), so
      // main posts are told apart by the ts Slack gave them: the stand-in stores messages in the
      // order the calls arrived. One whose ts no run kept was posted by a life killed before saving it.
      const name = config.checklists[0]!.name;
      const isMain = (c: { channel?: string; thread_ts?: string; text: string }) => !c.thread_ts && c.text.startsWith(`${name} (`);
      const mainCalls = calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.channel) === 'ops' && isMain(c.args as any));
      const mainMsgs = drill.slack.channelMessages('ops').filter((m) => isMain(m));
      expect(mainMsgs).toHaveLength(mainCalls.length);
      const kept = new Set(posted.map((r) => r.messageTs));
      for (const run of posted)
        expect(
          mainMsgs.some((m) => m.ts === run.messageTs),
          `run ${run.id} message in Slack`,
        ).toBe(true);
      mainMsgs.forEach((m, i) => {
        if (!kept.has(m.ts)) dups.push({ what: `checklist main message ${m.ts} (kept by no run)`, call: mainCalls[i]! });
      });
      for (const run of posted) {
        const view = (await loadRunView(deps, run.id))!.view;
        for (const part of checklistParts(view)) {
          const copies = calls.filter(
            (c) => c.method === 'chat.postMessage' && c.args.thread_ts === run.messageTs && String(c.args.text).startsWith(`${name}: ${part.title} (`),
          );
          count(`run ${run.id} part ${part.key}`, copies);
        }
      }

      // --- What the kills hit.
      const adopted = logs.filter(
        (x) =>
          x.msg === 'message already in Slack from an earlier attempt; not posted again' || x.msg === 'incident channel made by an earlier attempt; adopted',
      ).length;
      const midPost = killed.filter((l) => {
        const created = l.logs.filter((x) => x.msg === 'checklist run created').map((x) => x.runId);
        const done = new Set(l.logs.filter((x) => x.msg === 'checklist posted').map((x) => x.runId));
        return created.some((id) => !done.has(id));
      });
      const midChain = killed.filter((l) =>
        incs.some((inc) => {
          const declaredAt = logs.find((x) => x.msg === 'incident declared' && x.incident === inc.id)?.time ?? Infinity;
          const topPage = calls.find(
            (c) => c.method === 'chat.postMessage' && c.args.channel === `UL${TOP}` && String(c.args.text).includes(`incident #${inc.id}:`),
          );
          return declaredAt < l.killedAt! && (!topPage || topPage.at > l.killedAt!);
        }),
      );
      console.log(
        `crash drill: ${killed.length} kills (${midChain.length} with an escalation chain under way, ${midPost.length} with a checklist post unfinished), ` +
          `${incs.length} incidents × ${TOP} steps, ${runs.length} checklist periods (${posted.length} posted, ${runs.length - posted.length} missed), ` +
          `${outboxRows.length} outbox messages; ${adopted} sends found already in Slack and not repeated; Slack duplicates: ${dups.length} (${dups.map((d) => d.what).join('; ') || 'none'})`,
      );
      // Nothing reached Slack twice; a repeat names the life that sent its first copy.
      expect(dups.map((d) => `${d.what} (first sent by life ${lifeAt(d.call.at)?.n}, killed: ${lifeAt(d.call.at)?.killedAt !== undefined})`)).toEqual([]);
    }
  }, 240_000);
});
