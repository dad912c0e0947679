/**
 * The cost of durable intake: the write every request makes before its ack (src/slack/intake.ts),
 * beside the floor, the same row inserted with the bare driver (no drizzle, no fair queue).
 *   npx tsx bench/intake-write.ts pglite|postgres
 * Sequential writes (one request at a time) and 200 at once (a burst).
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { openDatabase } from '../src/db';
import { IntakeStore, intakeKey } from '../src/slack/intake';
import { emit, scratchDatabase, stats, type Stats } from './lib';

const N = 1000;
const BURST = 200;

/** A Done click as Slack sends it (about 1.5 kB of JSON). */
const body = () => ({
  type: 'block_actions',
  user: { id: 'UBOB', username: 'bob', name: 'bob', team_id: 'T0DRAIN' },
  api_app_id: 'A0DRAINPRO',
  token: 'x',
  container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'COPS', is_ephemeral: false },
  trigger_id: `trigger-${randomUUID()}`,
  team: { id: 'T0DRAIN', domain: 'drainpro' },
  channel: { id: 'COPS', name: 'ops' },
  message: { type: 'message', ts: '1700000000.000100', text: 'Morning checklist', user: 'UBOT' },
  response_url: `https://hooks.slack.com/actions/T0DRAIN/${randomUUID()}`,
  actions: [
    {
      action_id: 'item_done',
      block_id: 'b-item',
      type: 'button',
      value: '12|system-health',
      action_ts: `${Date.now() / 1000}${Math.random().toString().slice(2, 8)}`,
      text: { type: 'plain_text', text: 'Done' },
    },
  ],
  state: { values: {} },
  pad: 'x'.repeat(600),
});

async function time(write: () => Promise<unknown>): Promise<{ sequential: Stats; burst: Stats }> {
  for (let i = 0; i < 50; i += 1) await write();
  const seq: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const t0 = performance.now();
    await write();
    seq.push(performance.now() - t0);
  }
  const burst: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const t0 = performance.now();
    await Promise.all(Array.from({ length: BURST }, () => write().then(() => burst.push(performance.now() - t0))));
  }
  return { sequential: stats(seq), burst: stats(burst) };
}

async function main() {
  const target = (process.argv[2] ?? 'pglite') as 'pglite' | 'postgres';
  const scratch = target === 'postgres' ? await scratchDatabase() : undefined;
  const database = await openDatabase(scratch ? { url: scratch.url, poolSize: 10 } : {});
  await database.migrate();
  const store = new IntakeStore(database.db);
  const intake = await time(() => {
    const b = body();
    const { kind, key } = intakeKey(b);
    return store.accept(b, kind, key);
  });
  await database.close();

  const ddl = 'create table if not exists bare (id bigserial primary key, key text unique not null, payload text not null)';
  const sql = 'insert into bare (key, payload) values ($1, $2) on conflict do nothing returning id';
  let floor: { sequential: Stats; burst: Stats };
  if (scratch) {
    const client = postgres(scratch.url, { max: 10, onnotice: () => undefined });
    await client.unsafe(ddl);
    floor = await time(() => client.unsafe(sql, [randomUUID(), JSON.stringify(body())]));
    await client.end();
    await scratch.drop();
  } else {
    const pg = new PGlite();
    await pg.exec(ddl);
    floor = await time(() => pg.query(sql, [randomUUID(), JSON.stringify(body())]));
    await pg.close();
  }
  emit({ target, intake, floor });
}

void main();
