import { randomBytes } from 'node:crypto';

/** Zoom: `next_page_token` expires after 15 minutes (docs/zoom-contract.md §1, H). */
export const ZOOM_PAGE_TOKEN_TTL_MS = 15 * 60_000;

interface PageTokenEntry {
  binding: string;
  offset: number;
  expiresAt: number;
}

/**
 * Server-side page tokens, as Zoom keeps them: opaque, short-lived, and only valid with the
 * query that produced them (docs/zoom-contract.md §1, H). A token may be read again while it lives, so a
 * client retrying a page after a network error gets the same page.
 */
export class PageTokenStore {
  private readonly entries = new Map<string, PageTokenEntry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** `binding` is the query the token belongs to; `offset` is where its page starts. */
  issue(binding: string, offset: number): string {
    this.forgetExpired();
    const token = randomBytes(24).toString('base64url');
    this.entries.set(token, { binding, offset, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The offset a token points at, or undefined when it is unknown, expired or was issued for another query. */
  redeem(token: string, binding: string): number | undefined {
    const entry = this.entries.get(token);
    if (!entry || entry.expiresAt <= this.now() || entry.binding !== binding) return undefined;
    return entry.offset;
  }

  /** Ends every token issued so far, as Zoom may before their 15 minutes are up. */
  revokeAll(): void {
    this.entries.clear();
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(token);
    }
  }
}
