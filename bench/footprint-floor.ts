/**
 * The floors the footprint bench compares the bot with, each alone in its own node process:
 *   node --import tsx bench/footprint-floor.ts bolt <slackApiUrl>   a bare Bolt app (bench/bare-bolt.ts)
 *   node --import tsx bench/footprint-floor.ts pglite <dir>         a bare PGlite on <dir>, the bot's settings (initdb in process when fresh)
 * prints `FLOOR_READY {"url"?}` once serving / open, then idles until SIGTERM.
 */
import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions, tuneWasmTiering } from '../src/db/pglite-dir';
import { startBareBolt } from './bare-bolt';

async function main() {
  const [what, arg] = process.argv.slice(2);
  let close: () => Promise<void>;
  let url: string | undefined;
  if (what === 'bolt') {
    const bolt = await startBareBolt(arg!);
    url = bolt.url;
    close = bolt.close;
  } else {
    tuneWasmTiering(); // as the bot does
    const pg = new PGlite(arg!, pgliteOptions());
    await pg.waitReady;
    await pg.query('select 1');
    close = () => pg.close();
  }
  // PGlite holds no handle open: without this timer the process would exit once ready.
  const keepAlive = setInterval(() => undefined, 60_000);
  process.stdout.write(`FLOOR_READY ${JSON.stringify({ url })}\n`);
  process.once('SIGTERM', () => void close().then(() => (clearInterval(keepAlive), process.exit(0))));
}

void main();
