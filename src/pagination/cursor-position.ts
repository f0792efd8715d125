/** Where an edge sits: which window, which Zoom page, which offset, and which session. */
export interface CursorPosition {
  /** Fingerprint of the query the cursor belongs to (see queryFingerprint). */
  readonly query: string;
  readonly windowFrom: string;
  readonly windowTo: string;
  /** The Zoom token of the page the edge came from; "" for a window's first page. */
  readonly pageToken: string;
  readonly offset: number;
  readonly sessionId: string;
  /** Set on the last edge of a page: that page's next token ("" when the window ends), so continuing needs no re-read. */
  readonly nextPageToken?: string;
}

/** Why a cursor cannot be trusted: it does not parse, or its tag does not verify. */
export type CursorProblem = 'malformed' | 'altered';
