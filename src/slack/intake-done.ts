import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { storableText } from '../user-text';

interface Finishing {
  id: number;
  error: string | null;
  resolve(): void;
  reject(err: unknown): void;
}

/** What the done-marks wait out: the intake's inserts (src/slack/intake.ts). */
export interface BurstWatch {
  /** Milliseconds until the burst being stored counts as over; 0 when nothing is being stored. */
  burstLeftMs(): number;
}

/** How long done-marks may wait for a burst to end (a steady stream never ends); rows per statement. */
const MAX_WAIT_MS = 1000;
const BATCH_MAX = 500;

/**
 * Marks `inbound_requests` rows done, grouped: after a quiet spell on the next loop turn; while a
 * burst is still being stored, once it is over, at most MAX_WAIT_MS later. A request whose work
 * needs no follow-up (`/ops help`) finishes right after its ack, and on PGlite each done-mark
 * statement ran on the bot's thread between the acks still to come (BENCHMARKS.md, ack latency).
 * A done-mark that a crash loses only means the row is replayed, as for a crash during the work.
 */
export class DoneMarks {
  private finishing: Finishing[] = [];

  constructor(
    private readonly db: Db,
    private readonly at: () => Date,
    private readonly burst: BurstWatch,
  ) {}

  /** The work ran to its end (a handled failure included: the person was told). */
  finish(id: number, error?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.finishing.push({ id, error: error ? storableText(error).slice(0, 2000) : null, resolve, reject });
      if (this.finishing.length === 1) this.whenQuiet(performance.now());
    });
  }

  private whenQuiet(since: number): void {
    const left = this.burst.burstLeftMs();
    if (left > 0 && performance.now() - since < MAX_WAIT_MS) setTimeout(() => this.whenQuiet(since), left);
    else setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const items = this.finishing.splice(0, BATCH_MAX);
    if (this.finishing.length) setImmediate(() => void this.flush());
    try {
      // A row finished without an error keeps the error an earlier attempt recorded.
      const batch = JSON.stringify(items.map((it) => [it.id, it.error]));
      await this.db.execute(sql`
        update inbound_requests as t
        set done_at = ${this.at().toISOString()}::timestamptz, lease_until = null, last_error = coalesce(r->>1, t.last_error)
        from json_array_elements(${batch}::json) as r
        where t.id = (r->>0)::bigint`);
      for (const it of items) it.resolve();
    } catch (err) {
      for (const it of items) it.reject(err);
    }
  }
}
