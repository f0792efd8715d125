/**
 * Who reconciles the live state of one Zoom account. Every instance asks often; the one holding
 * the lease walks Zoom's live list, so N instances spend one instance's List calls (a budget of
 * 20 a minute, docs/zoom-contract.md §5). A holder that dies stops renewing and its lease lapses
 * for another to take.
 */
export interface ReconcileLease {
  /** Takes the lease for `holder`, or renews it when `holder` has it already; false while another holds it. */
  acquire(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `holder` has it, so a clean shutdown hands over at once. */
  release(holder: string): Promise<void>;
}
