import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionIds } from '../../blocks/ids';
import { openDatabase, type Database } from '../../src/db';
import { checklistRuns } from '../../src/db/schema';
import { enqueue, pendingOutboxCount } from '../../src/outbox';
import {
  expectNoSecrets,
  fakeProbes,
  startFaultBot,
  startThrowawayPostgres,
  throwawayPostgresUnavailable,
  type FaultBot,
  type ThrowawayPostgres,
} from './support';
import { mrkdwn } from '../../blocks/format';

/**
 * The database goes away: our own throwaway PostgreSQL is stopped (`pg_ctl -m fast stop`) and
 * started again on the same port. The issue's runbook says 30 s; CI keeps the outage to
 * OUTAGE_MS so the suite stays quick — nothing in the bot depends on the length (postgres.js
 * reconnects per query, /healthz pings with a 2 s timeout), so a shorter gap tests the same paths.
 */
const OUTAGE_MS = Number(process.env.FAULT_DB_OUTAGE_MS ?? 6000);
const unavailable = throwawayPostgresUnavailable();

describe.skipIf(unavailable !== null)(
  `fault: the database goes away for ${OUTAGE_MS / 1000} s (30 s in the runbook)${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let pg: ThrowawayPostgres;
    let database: Database;
    let t: FaultBot;

    beforeAll(async () => {
      pg = await startThrowawayPostgres();
      database = await openDatabase({ url: pg.url, poolSize: 5 });
      await database.migrate();
      // Real timers for the jobs: scheduled work due during the outage must happen after it.
      t = await startFaultBot({ database, probes: fakeProbes(0), jobs: true });
    }, 60_000);

    afterAll(async () => {
      await t?.close();
      await database?.close();
      pg?.destroy();
    });

    const health = async () => (await fetch(`${t.bot.url}/healthz`)).status;

    it('503 on /healthz meanwhile, a clear "try again" to commands and clicks, no crash; back by itself after the restart; due work done after', async () => {
      expect(await health()).toBe(200);
      // A checklist posted before the outage, to click on during it.
      await t.slash('morning');
      const msg = await t.slack.waitFor(() => t.slack.messages[0], 10_000);
      // Stored as posted before the outage begins (the post and the write of its ts are two steps).
      await t.slack.waitFor(async () => (await database.db.select().from(checklistRuns))[0]?.messageTs, 10_000);
      const value = (msg.blocks!.find((b: any) => b.type === 'actions') as any).elements[0].value as string;
      // Work due in the middle of the outage.
      await enqueue(database.db, { channel: 'ops', text: mrkdwn`due during the outage`, ref: 'fault:db-gap' }, new Date(Date.now() + OUTAGE_MS / 2));

      pg.stop();
      const outageStarted = Date.now();
      try {
        expect(await health()).toBe(503);
        // Not stored, so not acted on: the ack itself says so (durable intake, src/slack/intake.ts).
        const slash = await t.slash('morning', { responseId: 'during-outage' });
        expect(slash.status).toBe(200);
        expect(slash.ms).toBeLessThan(2500);
        const reply = JSON.stringify(slash.json);
        expect(reply).toMatch(/nothing was done/);
        expect(reply).toMatch(/database/i);
        expect(reply).toMatch(/try again/i);
        expect(reply).not.toMatch(/went wrong/);

        const replies = t.slack.responses.length;
        const clicked = await t.click({ actionId: ActionIds.itemDone, value, channelId: msg.channel, messageTs: msg.ts, userId: 'UBOB' });
        expect(clicked.status).toBe(200);
        expect(clicked.ms).toBeLessThan(2500);
        const clickReply = JSON.stringify(await t.slack.waitFor(() => t.slack.responses[replies]?.body, 10_000));
        expect(clickReply).toMatch(/try again/i);
        // Nothing is acted on unstored, help included: every answer says so at once.
        const help = await t.slash('help');
        expect(help.status).toBe(200);
        expect(help.json.text).toMatch(/database is not answering/);
        const remaining = OUTAGE_MS - (Date.now() - outageStarted);
        if (remaining > 0) await new Promise((r) => setTimeout(r, remaining));
        expect(await health()).toBe(503);
      } finally {
        pg.start();
      }

      // The bot recovers without a restart of its own.
      await t.slack.waitFor(async () => (await health()) === 200, 20_000);
      const after = await t.slash('morning', { responseId: 'after-outage' });
      expect(after.status).toBe(200);
      await t.slack.waitFor(() => t.slack.messages.filter((m) => /Morning Checklist/.test(m.text)).length === 2, 15_000);
      // The outbox message due in the gap goes out (the outbox job runs every 2 s).
      await t.slack.waitFor(async () => (await pendingOutboxCount(database.db)) === 0, 15_000);
      expect(t.slack.channelMessages('ops').filter((m) => m.text === 'due during the outage')).toHaveLength(1);
      // The run refused during the outage was never created: nothing half-done to clean up.
      const runs = await t.slack.waitFor(async () => {
        const rows = await database.db.select().from(checklistRuns);
        return rows.every((r) => r.messageTs !== null) && rows;
      }, 10_000);
      expect(runs).toHaveLength(2);
      expect(t.slack.problems).toEqual([]);
      expectNoSecrets(t.logs);
    }, 90_000);
  },
);
