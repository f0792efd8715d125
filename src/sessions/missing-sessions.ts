import type { ZoomHttpError } from '../zoom/errors';

/** How long a session Zoom said it does not know stays known as missing: a new session's id is not guessed within it. */
export const MISSING_SESSION_TTL_MS = 60_000;
/** Ids remembered as missing at once; the oldest is forgotten first. Bounded: clients make ids up at will. */
export const MISSING_SESSION_MAX_ENTRIES = 10_000;

/**
 * A negative cache of lookups Zoom answered 404: repeating one (a client asking for a made-up id
 * again and again) costs no Zoom call until it expires. In this process only.
 */
export class MissingSessions {
  // A Map iterates in insertion order: the first entry is the oldest.
  private readonly missing = new Map<string, { error: ZoomHttpError; until: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = MISSING_SESSION_TTL_MS,
    private readonly maxEntries = MISSING_SESSION_MAX_ENTRIES,
  ) {}

  /** Zoom's 404 for this lookup, if it answered one within the TTL. */
  get(key: string): ZoomHttpError | undefined {
    const entry = this.missing.get(key);
    if (entry === undefined) return undefined;
    if (entry.until > this.now()) return entry.error;
    this.missing.delete(key);
    return undefined;
  }

  remember(key: string, error: ZoomHttpError): void {
    this.missing.delete(key);
    this.missing.set(key, { error, until: this.now() + this.ttlMs });
    for (const [oldest] of this.missing) {
      if (this.missing.size <= this.maxEntries) break;
      this.missing.delete(oldest);
    }
  }

  get size(): number {
    return this.missing.size;
  }
}
