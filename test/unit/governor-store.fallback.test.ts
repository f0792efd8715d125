import type { GovernorStore } from '../../src/budget/governor-store';
import { SharedGovernorStore } from '../../src/budget/governor-store.fallback';
import { MemoryGovernorStore } from '../../src/budget/governor-store.memory';
import { governorStoreContract } from '../contracts/governor-store.contract';

/** A shared store whose Redis is down: it says so, and any call to it fails as a cut-off one would. */
function unreachable(): GovernorStore & { isAvailable(): boolean; restore(): Promise<string> } {
  const down = (): Promise<never> => Promise.reject(new Error('Redis is down'));
  return { isAvailable: () => false, reserve: down, confirm: down, hold: down, settle: down, pause: down, pausedFor: down, usage: down, restore: down };
}

const fallbacks: string[] = [];
const metrics = { governorSlot: () => undefined, redisFallback: (seam: string) => void fallbacks.push(seam) };

// A share of 1: with Redis down the local store alone must keep the whole contract.
governorStoreContract('SharedGovernorStore with Redis down', async () => new SharedGovernorStore(unreachable(), new MemoryGovernorStore(Date.now), 1, metrics));

describe('SharedGovernorStore with Redis down', () => {
  it('spends only its local share of the window', async () => {
    const store = new SharedGovernorStore(unreachable(), new MemoryGovernorStore(Date.now), 0.25, metrics);
    const request = (index: number) => ({ label: 'resource-intensive' as const, budget: { limit: 20, windowMs: 60_000 }, ticket: `fallback:${index}`, maxWaitMs: 0, dailyLimit: 0 });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => store.reserve(request(index))));
    expect(answers.map((answer) => answer.granted)).toEqual([true, true, true, true, true, false, false, false]);
    expect(fallbacks).toContain('governor');
  });
});
