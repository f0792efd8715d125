import type { ReconcileLease } from '../../src/live/reconcile-lease';

/** What every reconcile lease must do. `fresh` gives two handles on one lease; `wait` lets time pass on its clock. */
export function reconcileLeaseContract(name: string, fresh: () => Promise<[ReconcileLease, ReconcileLease]>, wait: (ms: number) => Promise<void>): void {
  describe(`${name} (reconcile lease contract)`, () => {
    it('is held by one holder at a time, renewed by it, and lapses when not renewed', async () => {
      const [one, other] = await fresh();
      expect(await one.acquire('a', 300)).toBe(true);
      expect(await other.acquire('b', 300)).toBe(false);
      expect(await one.acquire('a', 300)).toBe(true);
      await wait(400);
      expect(await other.acquire('b', 300)).toBe(true);
      expect(await one.acquire('a', 300)).toBe(false);
    });

    it('is free at once when its holder releases it, and never released by another', async () => {
      const [one, other] = await fresh();
      expect(await one.acquire('a', 10_000)).toBe(true);
      await other.release('b');
      expect(await other.acquire('b', 10_000)).toBe(false);
      await one.release('a');
      expect(await other.acquire('b', 10_000)).toBe(true);
    });

    it('lets exactly one of many concurrent takers through', async () => {
      const [one, other] = await fresh();
      const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? one : other).acquire(`h${n}`, 10_000)));
      expect(answers.filter(Boolean)).toHaveLength(1);
    });
  });
}
