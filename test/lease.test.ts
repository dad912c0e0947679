import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEASE_MS, whileLeased } from '../src/lease';

describe('whileLeased', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews the lease while slow work runs, and stops when it settles', async () => {
    vi.useFakeTimers();
    let renewals = 0;
    const renew = async () => {
      renewals += 1;
    };
    // Work that outlasts two and a half leases (the Slack client retrying for minutes).
    const work = whileLeased(renew, () => new Promise<string>((r) => setTimeout(() => r('sent'), LEASE_MS * 2.5)));
    await vi.advanceTimersByTimeAsync(LEASE_MS * 2.5);
    expect(await work).toBe('sent');
    // Renewed every third of a lease: never more than a third of a lease without one.
    expect(renewals).toBe(7);
    await vi.advanceTimersByTimeAsync(LEASE_MS * 3);
    expect(renewals).toBe(7);
  });

  it('stops renewing when the work fails, and a failing renewal does not fail the work', async () => {
    vi.useFakeTimers();
    let renewals = 0;
    const failing = whileLeased(
      async () => {
        renewals += 1;
        throw new Error('database away');
      },
      () => new Promise((_, reject) => setTimeout(() => reject(new Error('slack down')), LEASE_MS)),
    );
    const settled = expect(failing).rejects.toThrow('slack down');
    await vi.advanceTimersByTimeAsync(LEASE_MS);
    await settled;
    const after = renewals;
    await vi.advanceTimersByTimeAsync(LEASE_MS * 2);
    expect(renewals).toBe(after);
  });
});
