import { ZoomError } from '../zoom/errors';
import type { ClientQuotaStore, QuotaLimits } from './client-quota-store';

/** A client has spent its own quota of Zoom calls (a minute's, or its share of the day's): others are still served. */
export class ClientQuotaError extends ZoomError {
  constructor(
    readonly period: 'minute' | 'day',
    readonly limit: number,
    readonly retryAfterMs: number,
  ) {
    super(period === 'minute' ? `this client has spent its ${limit} Zoom calls a minute` : `this client has spent its share of ${limit} Zoom calls today`);
  }
}

/**
 * The clients who may pay for one execution's Zoom calls, in the order they asked (a subscription's
 * execution answers every client sharing its document), and those whose quota refused one of its
 * calls: not asked again for it.
 */
export interface CallPayers {
  readonly candidates: ReadonlySet<string>;
  readonly refused: Map<string, ClientQuotaError>;
}

/**
 * Zoom calls per client (API key, JWT subject, or address), so that no client can spend the
 * budget or the daily cap the others need. Counted where the store counts: with Redis, once for
 * every instance.
 */
export class ClientQuota {
  constructor(
    private readonly store: ClientQuotaStore,
    readonly limits: QuotaLimits,
  ) {}

  get perMinute(): number {
    return this.limits.perMinute;
  }

  get perDay(): number {
    return this.limits.perDay;
  }

  /**
   * Counts one Zoom call for the client, or throws ClientQuotaError when its minute or its day is spent.
   * Resolves with what uncounts the call, for a call that never reaches Zoom.
   */
  async take(client: string): Promise<() => Promise<void>> {
    const answer = await this.store.take(client, this.limits);
    if (answer.granted) return answer.giveBack;
    throw new ClientQuotaError(answer.period, answer.period === 'day' ? this.limits.perDay : this.limits.perMinute, answer.retryAfterMs);
  }

  /** Counts the call for the first candidate with quota left; throws the last refusal when none has. */
  async takeFromAny(payers: CallPayers): Promise<() => Promise<void>> {
    let refusal: ClientQuotaError | undefined;
    for (const payer of payers.candidates) {
      const known = payers.refused.get(payer);
      if (known) {
        refusal = known;
        continue;
      }
      try {
        return await this.take(payer);
      } catch (error) {
        if (!(error instanceof ClientQuotaError)) throw error;
        payers.refused.set(payer, error);
        refusal = error;
      }
    }
    throw refusal ?? new Error('no client to charge the Zoom call to');
  }
}
