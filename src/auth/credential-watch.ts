import type { AuthResult, ClientIdentity } from './client-auth';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Why a held connection's credential stopped being good. */
export type CredentialEnd = 'revoked' | 'expired';

/** setTimeout's longest wait (2^31 - 1 ms, about 24.8 days); a later expiry is looked at again then. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

interface Held {
  readonly credentials: Headers;
  readonly end: (why: CredentialEnd) => void;
}

/**
 * Connections that outlive the request that authenticated them (subscription sockets, event
 * streams) end when their credential does: an API key taken out of the key list ends its
 * connections at the reload, a JWT ends its own once it expires. Checked at connect only, a
 * revoked or expired credential would go on receiving live sessions and participants' names for
 * as long as its socket stays open. Anonymous connections hold no credential and are not watched.
 */
export class CredentialWatch {
  private readonly keyed = new Set<Held>();

  constructor(
    private readonly authenticate: (credentials: Headers) => Promise<AuthResult>,
    /** The gateway's clock: the one a token's expiry was checked on. */
    private readonly now: () => number,
  ) {}

  /** Watches one connection from its authentication on; `end` is called at most once. Returns how to stop watching (its close). */
  hold(credentials: Headers, identity: ClientIdentity, end: (why: CredentialEnd) => void): () => void {
    if (identity.kind === 'api-key') {
      const held: Held = { credentials, end };
      this.keyed.add(held);
      return () => this.keyed.delete(held);
    }
    if (identity.kind !== 'jwt') return () => undefined;
    let timer: NodeJS.Timeout | undefined;
    // Always through a timer, never at once: the connection is still being set up by the caller.
    const arm = (): void => {
      const left = identity.validUntil - this.now();
      timer = setTimeout(() => (identity.validUntil - this.now() <= 0 ? end('expired') : arm()), Math.max(0, Math.min(left, LONGEST_TIMER_MS)));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  }

  /** After the key list changed: ends every connection whose API key the list no longer holds; how many ended. */
  async recheckKeys(): Promise<number> {
    let ended = 0;
    for (const held of [...this.keyed]) {
      if ((await this.authenticate(held.credentials)).ok || !this.keyed.has(held)) continue;
      this.keyed.delete(held);
      held.end('revoked');
      ended += 1;
    }
    return ended;
  }
}
