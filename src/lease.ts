/**
 * Leases: how a row is held while its owner talks to an outside service, with no transaction
 * open meanwhile (on PGlite an open transaction holds the only engine; on PostgreSQL a
 * connection and row locks others would wait on). The holder renews the lease while it works,
 * so a slow call (the Slack client retries for minutes) keeps it; a holder that died stops
 * renewing and the row is free again within LEASE_MS.
 */
export const LEASE_MS = 30_000;

/** The lease's end when taken or renewed at `now`. */
export const leaseEnd = (now: Date): Date => new Date(now.getTime() + LEASE_MS);

/** Runs `work`, calling `renew` every third of a lease until it settles. */
export async function whileLeased<T>(renew: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void renew().catch(() => undefined), LEASE_MS / 3);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
