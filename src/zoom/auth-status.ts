import { describeZoomCode } from './zoom-codes';

/** Zoom's answer to credentials it does not accept: 401, code 124 (docs/zoom-contract.md §3). */
export const ZOOM_AUTH_REFUSED_STATUS = 401;

export interface ZoomAuthState {
  /** `failing` from Zoom's first 401 until a later call succeeds; `ok` before any answer too. */
  readonly status: 'ok' | 'failing';
  /** Why, in the gateway's words: Zoom's own text may echo the request, token included. */
  readonly reason?: string;
  /** When Zoom first refused, as an ISO instant. */
  readonly since?: string;
}

/**
 * What Zoom last said about the gateway's credentials, learnt from the calls clients make: finding
 * out costs no budget. A wrong secret is the operator's to fix, so /readyz reports it.
 */
export class ZoomAuthStatus {
  private state: ZoomAuthState = { status: 'ok' };

  constructor(private readonly now: () => number) {}

  refused(status: number, zoomCode: number | undefined): void {
    if (this.state.status === 'failing') return;
    this.state = {
      status: 'failing',
      reason: `Zoom refused the gateway's credentials (HTTP ${status}${describeZoomCode(zoomCode)}): check ZOOM_VIDEOSDK_API_KEY and ZOOM_VIDEOSDK_API_SECRET`,
      since: new Date(this.now()).toISOString(),
    };
  }

  accepted(): void {
    if (this.state.status === 'ok') return;
    this.state = { status: 'ok' };
  }

  current(): ZoomAuthState {
    return this.state;
  }
}
