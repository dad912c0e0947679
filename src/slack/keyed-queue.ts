/**
 * Runs at most one task per key at a time and coalesces the ones that arrive meanwhile into a
 * single rerun, so the last rendering of a message always reflects the latest state and a burst of
 * clicks becomes two Slack calls, not twenty.
 */
export class CoalescingQueue {
  private readonly running = new Map<string, { dirty: boolean; done: Promise<void> }>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.dirty = true;
      return current.done;
    }
    const entry = { dirty: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.dirty = false;
          await task();
        } while (entry.dirty);
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, entry);
    return entry.done;
  }

  /** Resolves when every queued task has finished (used on shutdown and in tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((e) => e.done));
  }
}
