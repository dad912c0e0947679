import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { Shutdown } from '../src/shutdown';

// Signals are emitted on `process` (no real signal), on SIGUSR2/SIGHUP so the test runner's own
// SIGTERM/SIGINT handling is never touched. test/deploy/signals.test.ts sends real ones.
const SIGNALS: NodeJS.Signals[] = ['SIGUSR2', 'SIGHUP'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(opts: { drainMs?: number; deadlineMs?: number; repeatMs?: number } = {}) {
  const lines: string[] = [];
  const exits: number[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
  const shutdown = new Shutdown({ logger, exit: (c) => void exits.push(c), signals: SIGNALS, ...opts });
  created.push(shutdown);
  return { shutdown, lines, exits, log: () => lines.join('') };
}
const created: Shutdown[] = [];
afterEach(() => {
  for (const s of created.splice(0)) s.dispose();
});

describe('Shutdown', () => {
  it('a signal during start-up waits for the bot, then drains, closes and exits 0, in that order', async () => {
    const { shutdown, exits } = setup();
    const order: string[] = [];
    process.emit('SIGUSR2', 'SIGUSR2');
    await sleep(50);
    expect(exits).toEqual([]);
    shutdown.ready({ drain: async () => void order.push('drain'), close: async () => void order.push('close') });
    await sleep(20);
    expect(order).toEqual(['drain', 'close']);
    expect(exits).toEqual([0]);
  });

  it('work still running at the drain time: closes anyway, says the work stays stored, exits 0', async () => {
    const { shutdown, exits, log } = setup({ drainMs: 100 });
    let closed = false;
    shutdown.ready({ drain: () => new Promise(() => undefined), close: async () => void (closed = true) });
    process.emit('SIGUSR2', 'SIGUSR2');
    await sleep(200);
    expect(closed).toBe(true);
    expect(exits).toEqual([0]);
    expect(log()).toContain('replayed at the next start');
  });

  it('a close that hangs past the deadline exits 1; a failing one exits 1 at once', async () => {
    const hung = setup({ drainMs: 50, deadlineMs: 150 });
    hung.shutdown.ready({ drain: async () => undefined, close: () => new Promise(() => undefined) });
    process.emit('SIGUSR2', 'SIGUSR2');
    await sleep(250);
    expect(hung.exits).toEqual([1]);
    expect(hung.log()).toContain('did not finish in time');
    hung.shutdown.dispose();

    const failing = setup();
    failing.shutdown.ready({ drain: async () => undefined, close: async () => Promise.reject(new Error('disk gone')) });
    process.emit('SIGUSR2', 'SIGUSR2');
    await sleep(20);
    expect(failing.exits).toEqual([1]);
    expect(failing.log()).toContain('disk gone');
  });

  it('a second signal exits at once with 128 + its number; the same signal repeated within repeatMs is one', async () => {
    const { shutdown, exits } = setup({ repeatMs: 100 });
    shutdown.ready({ drain: () => new Promise(() => undefined), close: async () => undefined });
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(exits).toEqual([]);
    process.emit('SIGHUP', 'SIGHUP');
    expect(exits).toEqual([129]);
  });
});
