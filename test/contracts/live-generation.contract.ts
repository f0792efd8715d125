import type { LiveGeneration } from '../../src/live/live-generation';

/** What every generation mark must do. `fresh` gives an unmarked one; `lose` makes its store lose everything (null: it cannot). */
export function liveGenerationContract(name: string, fresh: () => Promise<LiveGeneration>, lose: ((generation: LiveGeneration) => Promise<void>) | null): void {
  describe(`${name} (live generation contract)`, () => {
    it('is missing until marked, then holds the last id written', async () => {
      const generation = await fresh();
      expect(await generation.read()).toBeNull();
      await generation.mark('one');
      expect(await generation.read()).toBe('one');
      await generation.mark('two');
      expect(await generation.read()).toBe('two');
    });

    it('forgets the mark only while it is still the one named', async () => {
      const generation = await fresh();
      await generation.mark('one');
      await generation.forget('an older one');
      expect(await generation.read()).toBe('one');
      await generation.forget('one');
      expect(await generation.read()).toBeNull();
    });

    if (lose) {
      it('is missing again once its store lost its keys', async () => {
        const generation = await fresh();
        await generation.mark('one');
        await lose(generation);
        expect(await generation.read()).toBeNull();
      });
    }
  });
}
