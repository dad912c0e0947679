import { executionAsyncId } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { asReplay, replayScope } from '../../src/slack/request-scope';

/**
 * The replay scope (src/slack/request-scope.ts) costs live requests nothing: Node runs its promise
 * hook only while an AsyncLocalStorage is enabled. A continuation's executionAsyncId() is 0 when
 * no hook runs and the promise's own id when one does, so it shows which state the process is in.
 */
const hookRunning = async () => {
  await null;
  return executionAsyncId() !== 0;
};

describe('replay scope', () => {
  it('is seen through awaits inside a replay, and not outside one', async () => {
    expect(replayScope()).toBeUndefined();
    const seen = await asReplay({ user_id: 'UOPS1' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return replayScope();
    });
    expect(seen).toEqual({ userId: 'UOPS1' });
    expect(replayScope()).toBeUndefined();
    // A payload's user.id is read too; an id that is not a user's is left out.
    expect(await asReplay({ user: { id: 'W0ENT' } }, async () => replayScope())).toEqual({ userId: 'W0ENT' });
    expect(await asReplay({ user_id: '<!channel>' }, async () => replayScope())).toEqual({});
  });

  it("keeps one replay's scope while another ends, and turns Node's promise hook off when the last one ends", async () => {
    expect(await hookRunning()).toBe(false);
    let finishFirst!: () => void;
    const first = asReplay({ user_id: 'UFIRST' }, async () => {
      await new Promise<void>((r) => (finishFirst = r));
      return replayScope()?.userId;
    });
    const second = await asReplay({ user_id: 'USECOND' }, async () => {
      expect(await hookRunning()).toBe(true);
      return replayScope()?.userId;
    });
    expect(second).toBe('USECOND');
    // The second replay has ended, the first has not: the storage stays on for it.
    expect(await hookRunning()).toBe(true);
    finishFirst();
    expect(await first).toBe('UFIRST');
    expect(await hookRunning()).toBe(false);
    // And it comes back for the next replay.
    expect(await asReplay({ user_id: 'UAGAIN' }, async () => (await hookRunning()) && replayScope()?.userId)).toBe('UAGAIN');
    expect(await hookRunning()).toBe(false);
  });

  it('ends its scope when the replay throws', async () => {
    await expect(
      asReplay({ user_id: 'UOPS1' }, async () => {
        await null;
        throw new Error('listener failed');
      }),
    ).rejects.toThrow('listener failed');
    expect(replayScope()).toBeUndefined();
    expect(await hookRunning()).toBe(false);
  });
});
