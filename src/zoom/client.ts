import http, { ClientRequest } from 'node:http';
import https from 'node:https';
import fetch, { FetchError } from 'node-fetch';
import { ZoomJwtSigner } from './auth';
import type { Day } from '../time/calendar';
import { scrubSecrets } from '../scrub-secrets';
import {
  ZoomBadResponseError,
  ZoomCapacityError,
  ZoomHttpError,
  ZoomNetworkError,
  ZoomPageTokenError,
  ZoomTimeoutError,
} from './errors';
import { RETRY_AFTER_MS } from './in-flight-limit';
import { parseRetryAfter } from './retry-after';
import { encodeSessionIdForPath, hasDotSegment } from './session-id';
import { WireSessionDetailsAnswer, WireSessionPage, parseSessionDetails, parseSessionPage } from './wire';
import { WireDailyReport, WireQosUser, WireSessionUser, WireUserPage, parseDailyReport, parseUserPage } from './wire-inside';

/** Zoom's largest page for the list: 300 (documented maximum, not confirmed; read `page_size` back). */
export const ZOOM_MAX_PAGE_SIZE = 300;
/** A page of 300 sessions is ~200 KB; anything far beyond is not a Zoom answer we want in memory. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/**
 * Sockets the agent keeps beyond the calls allowed in flight: a socket whose answer was just read
 * goes back to the pool a moment after its caller moves on, and a call must never wait for it.
 */
export const SOCKET_HEADROOM = 8;
/**
 * An idle kept-alive socket is dropped after this, or a second before the server's own
 * `Keep-Alive: timeout=` when it sends a shorter one (Node's agent applies that hint only when it
 * has a timeout of its own). Zoom documents no idle timeout (docs/zoom-contract.md §4, L): a socket
 * reused just as the far end closes it meets a reset that Zoom never saw (ZoomClient.get sends again).
 */
export const IDLE_SOCKET_MS = 4_000;
/** Error bodies are read for Zoom's code and message; a longer one is a proxy's page, not Zoom's. */
const ERROR_TEXT_SCAN_CHARS = 4_096;
const ERROR_TEXT_KEPT_CHARS = 200;
/** Zoom answers an expired or foreign page token with 400 and a message about the token (docs/zoom-contract.md §1, M). */
const PAGE_TOKEN_REJECTED = /next page token/i;

export type ZoomSessionType = 'live' | 'past';
/** The details endpoint also knows sessions not yet held (docs/zoom-contract.md §2, H). */
export type ZoomSessionDetailsType = ZoomSessionType | 'scheduled';

export interface ListSessionsQuery {
  readonly type: ZoomSessionType;
  readonly from: Day;
  readonly to: Day;
  readonly pageSize: number;
  /** "" for the first page. */
  readonly pageToken: string;
  readonly sessionKey?: string;
  readonly sessionName?: string;
}

/** One page of a list inside a session (participants, their QoS). */
export interface SessionUsersQuery {
  readonly sessionId: string;
  readonly type: ZoomSessionType;
  readonly pageSize: number;
  /** "" for the first page. */
  readonly pageToken: string;
}

export interface ZoomClientOptions {
  /** e.g. https://api.zoom.us/v2 */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Cuts a call, body included, after this long from the moment it has a socket. */
  readonly timeoutMs: number;
  readonly now: () => number;
  /** Keep it above the calls allowed in flight (SOCKET_HEADROOM), so no call queues inside the agent. */
  readonly maxSockets?: number;
  /** Told of each call sent again after a kept-alive socket was reset before any answer (for a metric). */
  readonly onStaleSocket?: () => void;
}

type RequestHook = (request: ClientRequest) => void;

/**
 * Told when a call's request has been written on a connected socket (after its TLS handshake, if
 * any): from then on Zoom may count it (docs/zoom-contract.md §5). A call never told before it
 * ended never left: no socket, a refused connection, a handshake that failed or was cut short.
 */
export type OnWire = () => void;

/**
 * node-fetch hides the ClientRequest it makes, but hands it to the agent synchronously inside
 * fetch(): the agent is where a call can learn the moment it gets its socket.
 */
function hookRequests(agent: http.Agent, take: () => RequestHook | undefined): void {
  const internal = agent as unknown as { addRequest(request: ClientRequest, options: object): void };
  const addRequest = internal.addRequest.bind(agent);
  internal.addRequest = (request, options) => {
    take()?.(request);
    addRequest(request, options);
  };
}

/** An attempt that met a kept-alive socket the far end had closed (ZoomClient.get), and how long it had its socket. */
class StaleSocket {
  constructor(
    readonly cause: unknown,
    readonly elapsedMs: number,
  ) {}
}

const RESET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

function isReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RESET_CODES.has(code);
}

interface ZoomAnswer {
  body: unknown;
  trackingId: string | undefined;
  bytes: number;
}

/** One method per Zoom endpoint; one attempt per call. Retries and budgets wrap it from outside. */
export class ZoomClient {
  private readonly signer: ZoomJwtSigner;
  private readonly agent: http.Agent;
  /** Connections of their own, never kept: where a call goes again after a kept-alive socket failed it. */
  private readonly freshAgent: http.Agent;
  private readonly baseUrl: string;
  private nextRequest: RequestHook | undefined;

  constructor(private readonly options: ZoomClientOptions) {
    this.signer = new ZoomJwtSigner(options.apiKey, options.apiSecret, options.now);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // `timeout` only ends idle sockets here: a call in flight is cut by its own timer (timeoutMs), never by the agent.
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16, timeout: IDLE_SOCKET_MS };
    const Agent = this.baseUrl.startsWith('https:') ? https.Agent : http.Agent;
    this.agent = new Agent(agentOptions);
    this.freshAgent = new Agent({ keepAlive: false });
    const take = (): RequestHook | undefined => {
      const hook = this.nextRequest;
      this.nextRequest = undefined;
      return hook;
    };
    hookRequests(this.agent, take);
    hookRequests(this.freshAgent, take);
  }

  /** `GET /videosdk/sessions`: one page of the session list. */
  async listSessions(query: ListSessionsQuery, onWire?: OnWire): Promise<WireSessionPage> {
    const params = new URLSearchParams({ type: query.type, from: query.from, to: query.to, page_size: String(query.pageSize) });
    if (query.pageToken !== '') params.set('next_page_token', query.pageToken);
    if (query.sessionKey !== undefined) params.set('session_key', query.sessionKey);
    if (query.sessionName !== undefined) params.set('session_name', query.sessionName);
    const answer = await this.get(`/videosdk/sessions?${params.toString()}`, query.pageToken !== '', onWire);
    return parseSessionPage(answer.body, answer.trackingId, answer.bytes);
  }

  /** `GET /videosdk/sessions/{sessionId}`: one session's details; an unknown id is a ZoomHttpError 404. */
  async getSession(id: string, type: ZoomSessionDetailsType, onWire?: OnWire): Promise<WireSessionDetailsAnswer> {
    const params = new URLSearchParams({ type });
    const answer = await this.get(`/videosdk/sessions/${encodeSessionIdForPath(id)}?${params.toString()}`, false, onWire);
    return parseSessionDetails(answer.body, answer.trackingId);
  }

  /** `GET /videosdk/sessions/{sessionId}/users`: one page of a session's participants. */
  async listSessionUsers(query: SessionUsersQuery, onWire?: OnWire): Promise<WireUserPage<WireSessionUser>> {
    const answer = await this.get(sessionUsersPath('users', query), query.pageToken !== '', onWire);
    return parseUserPage<WireSessionUser>(answer.body, answer.trackingId, answer.bytes);
  }

  /** `GET /videosdk/sessions/{sessionId}/users/qos`: one page of participants with their QoS samples. */
  async listSessionUsersQos(query: SessionUsersQuery, onWire?: OnWire): Promise<WireUserPage<WireQosUser>> {
    const answer = await this.get(sessionUsersPath('users/qos', query), query.pageToken !== '', onWire);
    return parseUserPage<WireQosUser>(answer.body, answer.trackingId, answer.bytes);
  }

  /** `GET /videosdk/sessions/{sessionId}/users/{userId}/qos`: one participant's QoS (the gateway walks the list instead; kept for comparisons). */
  async getSessionUserQos(sessionId: string, userId: string, type: ZoomSessionType): Promise<WireQosUser & { trackingId: string | undefined }> {
    const params = new URLSearchParams({ type });
    // Zoom's router decodes the path (see hasDotSegment): `../x` encoded once is still a way out.
    if (hasDotSegment(userId)) throw new RangeError('A participant id with a `.` or `..` path segment would address another Zoom endpoint');
    const answer = await this.get(`/videosdk/sessions/${encodeSessionIdForPath(sessionId)}/users/${encodeURIComponent(userId)}/qos?${params.toString()}`, false, undefined);
    if (typeof answer.body !== 'object' || answer.body === null || Array.isArray(answer.body)) throw new ZoomBadResponseError('the body is not a JSON object', answer.trackingId);
    return { ...(answer.body as WireQosUser), trackingId: answer.trackingId };
  }

  /** `GET /videosdk/report/daily`: one calendar month of usage. */
  async getDailyReport(year: number, month: number, onWire?: OnWire): Promise<WireDailyReport> {
    const params = new URLSearchParams({ year: String(year), month: String(month) });
    const answer = await this.get(`/videosdk/report/daily?${params.toString()}`, false, onWire);
    return parseDailyReport(answer.body, answer.trackingId, answer.bytes);
  }

  /** Closes the keep-alive sockets, so that shutdown leaves nothing open. */
  close(): void {
    this.agent.destroy();
    this.freshAgent.destroy();
  }

  /**
   * A kept-alive socket the far end closed while it sat idle fails the write with a reset before
   * any answer: Zoom never saw that request, so it goes out again, once, on a connection of its own
   * (a GET may be repeated: RFC 9110 §9.2.2), within what is left of the call's time. It stays one
   * call for the budgets; `onStaleSocket` counts it, so that a far end that reads requests and then
   * resets them (which looks the same from here) shows.
   */
  private async get(pathAndQuery: string, carriesPageToken: boolean, onWire: OnWire | undefined): Promise<ZoomAnswer> {
    const { timeoutMs, onStaleSocket } = this.options;
    const first = await this.attempt(pathAndQuery, carriesPageToken, this.agent, timeoutMs, onWire);
    if (!(first instanceof StaleSocket)) return first;
    onStaleSocket?.();
    const again = await this.attempt(pathAndQuery, carriesPageToken, this.freshAgent, Math.max(1, timeoutMs - first.elapsedMs), onWire);
    // A connection of its own is never a reused one: this is only for the types.
    if (again instanceof StaleSocket) throw new ZoomNetworkError(again.cause);
    return again;
  }

  private async attempt(pathAndQuery: string, carriesPageToken: boolean, agent: http.Agent, timeoutMs: number, onWire: OnWire | undefined): Promise<ZoomAnswer | StaleSocket> {
    const controller = new AbortController();
    let cut: 'no socket' | 'zoom' | undefined;
    let sentOn: ClientRequest | undefined;
    let socketAt = 0;
    let answered = false;
    // Until the request has a socket the wait is the gateway's own; Zoom's time starts on the socket.
    let timer = setTimeout(() => {
      cut = 'no socket';
      controller.abort();
    }, timeoutMs);
    const onSocket = (): void => {
      socketAt = performance.now();
      clearTimeout(timer);
      timer = setTimeout(() => {
        cut = 'zoom';
        controller.abort();
      }, timeoutMs);
    };
    this.nextRequest = (request) => {
      sentOn = request;
      request.once('socket', onSocket);
      // The request's last byte was handed to a connected socket: it is on its way to Zoom.
      if (onWire !== undefined) request.once('finish', onWire);
      // Headers read: the far end saw the request, whatever happens to the body.
      request.once('response', () => (answered = true));
    };
    try {
      const sent = fetch(`${this.baseUrl}${pathAndQuery}`, {
        method: 'GET',
        agent,
        signal: controller.signal,
        size: MAX_BODY_BYTES,
        // A redirect would carry the JWT to wherever it points: it is Zoom misbehaving, never followed.
        redirect: 'manual',
        headers: { authorization: `Bearer ${this.signer.current()}`, accept: 'application/json' },
      });
      if (this.nextRequest !== undefined) {
        // The agent never saw the request (a node-fetch that does not pass it through): time it from now.
        this.nextRequest = undefined;
        onSocket();
        onWire?.();
      }
      const response = await sent;
      const trackingId = response.headers.get('x-zm-trackingid') ?? undefined;
      // The raw bytes give the size for the cache's byte bound without measuring a 100 KB string again.
      const raw = await response.buffer();
      if (response.status >= 300 && response.status < 400) {
        throw new ZoomBadResponseError(`a redirect (HTTP ${response.status}), which the gateway does not follow with its credentials`, trackingId);
      }
      const text = raw.toString('utf8');
      if (!response.ok) throw this.httpError(response.status, text, response.headers, trackingId, carriesPageToken);
      return { body: parseJson(text, trackingId), trackingId, bytes: raw.length };
    } catch (error) {
      if (error instanceof ZoomHttpError || error instanceof ZoomBadResponseError) throw error;
      if (cut === 'no socket') throw new ZoomCapacityError(RETRY_AFTER_MS, 'a socket');
      if (cut === 'zoom') throw new ZoomTimeoutError(this.options.timeoutMs);
      if (error instanceof FetchError && error.type === 'max-size') throw new ZoomBadResponseError('the body is too large');
      if (!answered && sentOn?.reusedSocket === true && isReset(error)) return new StaleSocket(error, performance.now() - socketAt);
      throw new ZoomNetworkError(error);
    } finally {
      this.nextRequest = undefined;
      clearTimeout(timer);
      // A write callback can still run after the socket was destroyed (a handshake cut short): that request never went.
      if (onWire !== undefined) sentOn?.off('finish', onWire);
    }
  }

  private httpError(
    status: number,
    text: string,
    headers: { get(name: string): string | null },
    trackingId: string | undefined,
    carriesPageToken: boolean,
  ): ZoomHttpError {
    let code: number | undefined;
    // Whatever an upstream or proxy sent (an echo of the request, an HTML page) is scrubbed before it goes anywhere.
    const scanned = text.slice(0, ERROR_TEXT_SCAN_CHARS);
    let message = scrubSecrets(scanned).slice(0, ERROR_TEXT_KEPT_CHARS);
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body === 'object' && body !== null) {
        const fields = body as { code?: unknown; message?: unknown };
        if (typeof fields.code === 'number') code = fields.code;
        if (typeof fields.message === 'string') message = scrubSecrets(fields.message.slice(0, ERROR_TEXT_SCAN_CHARS)).slice(0, ERROR_TEXT_KEPT_CHARS);
      }
    } catch {
      // A non-JSON error body is still an HTTP error; its start is the best message we have.
    }
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), this.options.now());
    const rateLimitType = headers.get('x-ratelimit-type') || undefined;
    const ErrorClass = status === 400 && carriesPageToken && PAGE_TOKEN_REJECTED.test(message) ? ZoomPageTokenError : ZoomHttpError;
    return new ErrorClass(status, code, message, trackingId, retryAfterMs, rateLimitType);
  }
}

function sessionUsersPath(resource: 'users' | 'users/qos', query: SessionUsersQuery): string {
  const params = new URLSearchParams({ type: query.type, page_size: String(query.pageSize) });
  if (query.pageToken !== '') params.set('next_page_token', query.pageToken);
  return `/videosdk/sessions/${encodeSessionIdForPath(query.sessionId)}/${resource}?${params.toString()}`;
}

function parseJson(text: string, trackingId: string | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ZoomBadResponseError('the body is not JSON', trackingId);
  }
}
