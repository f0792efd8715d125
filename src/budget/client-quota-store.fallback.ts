import type { ClientQuotaStore, QuotaAnswer, QuotaLimits } from './client-quota-store';
import type { MemoryClientQuotaStore } from './client-quota-store.memory';

/**
 * The shared count while Redis answers, this process's own otherwise. Every call the shared store grants
 * is counted locally too, so an instance that loses Redis goes on from what it knows the client spent
 * rather than from nothing, and a Redis that comes back empty is told what this instance knows was spent today.
 */
export class SharedClientQuotaStore implements ClientQuotaStore {
  constructor(
    private readonly shared: ClientQuotaStore & { isAvailable(): boolean },
    private readonly local: MemoryClientQuotaStore,
    private readonly onFallback: (error: unknown) => void,
  ) {}

  async take(client: string, limits: QuotaLimits): Promise<QuotaAnswer> {
    if (this.shared.isAvailable()) {
      try {
        const answer = await this.shared.take(client, limits, this.local.usedToday(client));
        if (!answer.granted) return answer;
        const giveBackHere = this.local.record(client);
        // Given back wherever it was counted; a Redis that fails now only keeps the shared count one call high.
        return { granted: true, giveBack: () => Promise.all([answer.giveBack().catch(() => undefined), giveBackHere()]).then(() => undefined) };
      } catch (error) {
        this.onFallback(error);
      }
    } else {
      this.onFallback(new Error('Redis is down'));
    }
    return this.local.takeNow(client, limits);
  }
}
