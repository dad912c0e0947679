import { describe, expect, it } from 'vitest';
import { startLoops, type Job } from '../../jobs/loop';
import { systemClock, type Deps } from '../../src/deps';
import { createLogger } from '../../src/logger';

/**
 * A job whose interval is a config value (the escalation sweep): the loop ticks it every `everyMs`
 * and runs its body only when `minGapMs` has passed since the body last ran; the ticks between
 * report `{ skipped: true }` to the hooks, so the watchdog and /metrics still see it alive.
 */
describe('the job loop with a minimum gap', () => {
  it('runs the body once per gap and reports the ticks between as skipped; each loop keeps its own', async () => {
    const deps = { clock: systemClock, logger: createLogger({ level: 'silent' }), gapMs: 200 } as unknown as Deps & { gapMs: number };
    const ran: number[] = [];
    const job: Job = {
      name: 'gapped',
      everyMs: 20,
      minGapMs: (d) => (d as typeof deps).gapMs,
      run: async () => {
        ran.push(Date.now());
        return { swept: true };
      },
    };
    const results: unknown[] = [];
    const loops = startLoops(deps, [job], { onRun: (_job, outcome) => outcome.ok && results.push(outcome.result) });
    await new Promise((r) => setTimeout(r, 650));
    await loops.stop();
    expect(ran.length).toBeGreaterThanOrEqual(2);
    expect(ran.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < ran.length; i += 1) expect(ran[i]! - ran[i - 1]!).toBeGreaterThanOrEqual(195);
    expect(results.filter((r) => (r as { skipped?: boolean }).skipped).length).toBeGreaterThan(ran.length);
    expect(results.filter((r) => (r as { swept?: boolean }).swept)).toHaveLength(ran.length);

    // A second loop (another bot in this process) starts with no memory of the first one's runs.
    const before = ran.length;
    const again = startLoops(deps, [job]);
    await new Promise((r) => setTimeout(r, 50));
    await again.stop();
    expect(ran.length).toBe(before + 1);
  });
});
