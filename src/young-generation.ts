import { setFlagsFromString } from 'node:v8';

/** V8's own default for `--semi-space-growth-factor`. */
const V8_GROWTH_FACTOR = 2;

/** An operator who sets any semi-space flag (NODE_OPTIONS or node's own arguments) keeps their choice. */
function operatorChose(): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => /semi[-_]space/.test(arg));
}

/**
 * Start-up must not size V8's young generation for the bot's whole life.
 *
 * Loading the bot makes many objects that live for ever (modules, schemas, the Bolt app). V8 grows
 * its young generation (two semi-spaces) whenever that much survives, so start-up left it at
 * 2 × 16 MiB. Only V8's memory reducer shrinks it, once its sampled allocation rate looks low, and
 * start-up's samples keep that rate high: on PostgreSQL the bot idled at ~113 MiB for 15–45 s before
 * dropping to ~90 MiB (BENCHMARKS.md, footprint). Holding the growth factor at 1 from the first line
 * (src/start.ts) until the bot serves keeps the young generation at its first size through start-up;
 * then V8's default comes back, so a burst of real work grows it as before and the reducer shrinks it
 * after.
 *
 * The flag is read each time V8 grows the space, so setting it at run time takes effect (unlike
 * `--max-semi-space-size`, fixed when the heap is made).
 */
export function holdYoungGeneration(): void {
  if (!operatorChose()) setFlagsFromString('--semi-space-growth-factor=1');
}

/** Back to V8's default (a no-op when nothing was held). */
export function releaseYoungGeneration(): void {
  if (!operatorChose()) setFlagsFromString(`--semi-space-growth-factor=${V8_GROWTH_FACTOR}`);
}
