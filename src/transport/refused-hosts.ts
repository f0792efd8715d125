/** How long the names refused are counted before they are told. */
const WINDOW_MS = 60_000;
/** Distinct names counted in one window; further new ones are only counted together. */
const NAMES_COUNTED = 1_000;
/** Names one report lists, the most refused first. */
const NAMES_LISTED = 10;

type Log = (details: Record<string, unknown>, message: string) => void;

/**
 * The host names the Host guard (allowed-hosts.ts) refused, told to the operator so that one behind
 * a proxy learns which name ALLOWED_HOSTS lacks: the first refusal at once, then, at the first refusal
 * after each minute, the names refused since, the most refused first. Anyone who reaches the port
 * sends names at will: a name sent in earnest (a proxy's, on every request) rises to the top of the
 * report, where a log limited to so many lines a minute let made-up names crowd it out (found by review).
 */
export class RefusedHostNames {
  private readonly counts = new Map<string, number>();
  private uncounted = 0;
  private since: number | undefined;

  constructor(
    private readonly log: Log,
    private readonly now: () => number,
  ) {}

  note(name: string): void {
    const now = this.now();
    if (this.since === undefined) {
      this.since = now;
      this.log({ hostName: name }, 'request refused: a host name this anonymous gateway does not answer under (ALLOWED_HOSTS); the names refused are reported once a minute');
    } else if (now - this.since >= WINDOW_MS) {
      this.report(now);
    }
    if (this.counts.has(name) || this.counts.size < NAMES_COUNTED) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    else this.uncounted += 1;
  }

  private report(now: number): void {
    const listed = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, NAMES_LISTED).map(([name, count]) => ({ name, count }));
    if (listed.length > 0) {
      const since = new Date(this.since ?? now).toISOString();
      this.log({ since, hostNames: listed, otherNames: this.counts.size - listed.length, uncountedRefusals: this.uncounted }, 'requests refused for their host name since the last report, the most refused first (ALLOWED_HOSTS)');
    }
    this.counts.clear();
    this.uncounted = 0;
    this.since = now;
  }
}
