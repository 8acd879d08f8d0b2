import type { LimitPolicy } from './limit-store';
import { MemoryLimitStore } from './memory-limit-store';

const policy: LimitPolicy = { concurrency: 2, requestsPerWindow: 3, tokensPerWindow: 100, windowMs: 1000, slotLeaseMs: 5000 };

function storeAt(start = 0) {
  const clock = { now: start };
  return { clock, store: new MemoryLimitStore(() => clock.now) };
}

describe('MemoryLimitStore', () => {
  it('admits up to the concurrency, then asks to wait for a release', async () => {
    const { store } = storeAt();
    expect(await store.tryAdmit('a', 1, policy)).toEqual({ admitted: true });
    expect(await store.tryAdmit('b', 1, policy)).toEqual({ admitted: true });
    expect(await store.tryAdmit('c', 1, policy)).toEqual({ admitted: false, retryInMs: null });
    await store.releaseSlot('a');
    expect(await store.tryAdmit('c', 1, policy)).toEqual({ admitted: true });
  });

  it('counts requests in a sliding window and says when the oldest leaves it', async () => {
    const { clock, store } = storeAt();
    for (const [id, at] of [['a', 0], ['b', 100], ['c', 200]] as const) {
      clock.now = at;
      await store.tryAdmit(id, 1, policy);
      await store.releaseSlot(id);
    }
    clock.now = 900;
    expect(await store.tryAdmit('d', 1, policy)).toEqual({ admitted: false, retryInMs: 100 });
    clock.now = 1000;
    expect(await store.tryAdmit('d', 1, policy)).toEqual({ admitted: true });
    // b (100) and c (200) and d (1000) fill the window again until b leaves at 1100.
    expect(await store.tryAdmit('e', 1, policy)).toEqual({ admitted: false, retryInMs: 100 });
  });

  it('waits for enough tokens to leave the window, and settles reservations to actual usage', async () => {
    const { clock, store } = storeAt();
    await store.tryAdmit('a', 60, policy);
    clock.now = 300;
    await store.tryAdmit('b', 30, policy);
    await Promise.all([store.releaseSlot('a'), store.releaseSlot('b')]);
    expect(await store.tryAdmit('c', 20, policy)).toEqual({ admitted: false, retryInMs: 700 });
    await store.settleTokens('a', 60, 40);
    expect(await store.tryAdmit('c', 20, policy)).toEqual({ admitted: true });
  });

  it('takes back the slot of a holder that never released it once the lease expires', async () => {
    const { clock, store } = storeAt();
    const one = { ...policy, concurrency: 1 };
    await store.tryAdmit('dead', 1, one);
    clock.now = 4999;
    expect(await store.tryAdmit('next', 1, one)).toEqual({ admitted: false, retryInMs: null });
    clock.now = 5000;
    expect(await store.tryAdmit('next', 1, one)).toEqual({ admitted: true });
  });

  it('shares one store per prefix within the process', () => {
    expect(MemoryLimitStore.shared('x')).toBe(MemoryLimitStore.shared('x'));
    expect(MemoryLimitStore.shared('x')).not.toBe(MemoryLimitStore.shared('y'));
  });
});
