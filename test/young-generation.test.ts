import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * src/young-generation.ts in a fresh plain `node` (as `node dist/main.js` runs it: no tsx loader has
 * grown the young generation before the first line). The child keeps ~60 MiB of objects alive, the way
 * loading the bot does, and reports the young generation's size (V8's `new_space`, both semi-spaces).
 */
const CHILD = `
import { getHeapSpaceStatistics } from 'node:v8';
import { holdYoungGeneration, releaseYoungGeneration } from './src/young-generation.ts';
const MiB = 1024 * 1024;
const youngMiB = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / MiB;
const kept = [];
const survive = () => { for (let i = 0; i < 400_000; i += 1) kept.push({ i, text: 'item ' + i, list: [i] }); };
const report = {};
if (process.argv.includes('--hold')) holdYoungGeneration();
survive();
report.duringStart = youngMiB();
releaseYoungGeneration();
survive();
report.afterRelease = youngMiB();
process.stdout.write(JSON.stringify(report));
`;

let dir: string;
let script: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drainpro-young-'));
  const entry = join(process.cwd(), 'young-generation-child.mjs');
  script = join(dir, 'child.mjs');
  await build({
    stdin: { contents: CHILD, resolveDir: process.cwd(), sourcefile: entry, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function child(nodeArgs: string[], args: string[]): Promise<{ duringStart: number; afterRelease: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeArgs, script, ...args], { env: { PATH: process.env.PATH } });
  return JSON.parse(stdout) as { duringStart: number; afterRelease: number };
}

describe('the young generation through start-up (src/young-generation.ts)', () => {
  it('stays at its first size while start-up holds it, and grows again as V8 decides once released', async () => {
    const held = await child([], ['--hold']);
    expect(held.duringStart).toBeLessThanOrEqual(4);
    expect(held.afterRelease).toBeGreaterThanOrEqual(16);
  });

  it('without the hold, the same start-up grows it (what the hold is for)', async () => {
    const free = await child([], []);
    expect(free.duringStart).toBeGreaterThanOrEqual(16);
  });

  it("leaves an operator's own semi-space flag alone", async () => {
    const chosen = await child(['--max-semi-space-size=8'], ['--hold']);
    // Grown up to the operator's cap (2 × 8 MiB), not held at the first size.
    expect(chosen.duringStart).toBeGreaterThanOrEqual(16);
  });
});
