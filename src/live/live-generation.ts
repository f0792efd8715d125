/**
 * The live state's own mark that it is whole: an id written beside the state's keys by a
 * reconciliation that read Zoom's whole live list, with no TTL, so it goes wherever the keys go
 * (a Redis restarted empty, a flush, an eviction). While it is missing the state is not the truth:
 * LIVE is read from Zoom and the state is rebuilt at once. An id other than the one an instance
 * last read means the state was lost and rebuilt in between: what that instance alone knew
 * (the events it applied) must be given to it again.
 */
export interface LiveGeneration {
  /** The mark's id, or null when the state was never made whole or its store lost it. */
  read(): Promise<string | null>;
  /** Writes the mark: a complete reconciliation just made the state whole. */
  mark(id: string): Promise<void>;
  /** Removes the mark if it is still `id`: the state under it was found to have lost writes, and is lost to every instance. */
  forget(id: string): Promise<void>;
}
