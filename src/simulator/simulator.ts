import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { Socket } from 'node:net';
import { todayUtc } from '../time/calendar';
import { Answer, invalidAccessToken, zoomError } from './answer';
import { SimSession, compareSessions, formatDuration, generateSessions } from './dataset';
import { Fault, FaultPlan, FaultRates, QPS_LIMIT_MESSAGE, faultAnswer, rateLimitHeaders } from './faults';
import { isAcceptedBearer } from './jwt-check';
import { PageTokenStore, ZOOM_PAGE_TOKEN_TTL_MS } from './page-tokens';
import { RateLimiter } from './rate-limit';
import { SessionQuery, ZOOM_MAX_PAGE_SIZE, selectSessions } from './session-query';
import { SessionsContext, decodeSessionIdSegment, listSessions, sessionDetails } from './sessions-route';
import { InsideContext, SESSION_TOO_OLD, dailyReport, sessionUserQos, sessionUsers } from './inside-routes';
import { SessionInside, insideAsOf, sessionInside } from './participants';

export type { Fault, FaultRates } from './faults';
export type { SimSession, Quality } from './dataset';
export type { SessionQuery, SessionType } from './session-query';

export interface SimulatorOptions {
  /** Video SDK API key: a JWT's `iss` must equal it. */
  apiKey: string;
  /** The HS256 secret JWTs are signed with. */
  apiSecret: string;
  /** Simulated clock in epoch ms (default `Date.now`): token and JWT expiry, dataset "today", rate-limit window. */
  now?: () => number;
  /** Dataset and fault PRNG seed (default 42). */
  seed?: number;
  /** `next_page_token` lifetime (default 15 minutes, as Zoom). */
  tokenTtlMs?: number;
  /** Larger `page_size` values are clamped to it (default 300); the response echoes the size used. */
  maxPageSize?: number;
  /** Delay before every answer (default 0). */
  latencyMs?: number;
  /** Calls per sliding minute before answering 429 (default: no limit). */
  rateLimitPerMinute?: number;
  /** The length of Zoom's rate-limit "minute" (default 60 s); tests shrink it to keep suites short. */
  rateLimitWindowMs?: number;
  /** Random fault injection (default: none). */
  faults?: Partial<FaultRates>;
  /** Replaces the generated dataset. */
  sessions?: SimSession[];
  /** The most recent calls `callLog()` keeps (default 10,000, about 7 MB); `calls()` counts them all. */
  callLogMax?: number;
}

/** About 0.66 KB a record: enough for any test, and a bound for a simulator serving `npm start` for weeks. */
export const DEFAULT_CALL_LOG_MAX = 10_000;

export interface CallRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The status answered; 0 for a hang or a reset. */
  status: number;
  at: number;
}

export interface ZoomSimulator {
  /** e.g. `http://127.0.0.1:PORT/v2`, the gateway's ZOOM_API_BASE_URL. */
  readonly baseUrl: string;
  readonly port: number;
  readonly sessions: readonly SimSession[];
  /** API calls received: every request under /v2, whatever the answer. */
  calls(): number;
  /** The most recent calls, up to `callLogMax`, oldest first. */
  callLog(): readonly CallRecord[];
  resetCalls(): void;
  /** The next calls get these faults, in order; then normal service resumes. */
  failNext(...faults: Fault[]): void;
  /** Replaces the random fault rates; a rate left out is 0. */
  setFaults(rates: Partial<FaultRates>): void;
  setLatency(ms: number): void;
  setRateLimit(perMinute: number | undefined): void;
  /** Ground truth for tests: a session's participants and their QoS, in the simulator's order; a live one's as they stand at `asOfMs` (default now). */
  inside(sessionId: string, asOfMs?: number): SessionInside | undefined;
  /**
   * A session starts at Zoom: live lists show it from now on (webhooks are the caller's to send).
   * With `endsAt`, its participants and QoS are those it will have had by then, each shown once its time has come.
   */
  startLiveSession(session: SimSession, endsAt?: string): void;
  /** A live session ends at Zoom: it moves to the past list, its duration now the time it ran. */
  endLiveSession(id: string, endTime: string): void;
  /** Ground truth for tests: what a full token walk of this query returns, in the simulator's order. */
  expectedSessions(query: SessionQuery): SimSession[];
  /** Ends every page token issued so far, early, as Zoom may (its 15 minutes are a maximum, and clocks drift). */
  expirePageTokens(): void;
  /** The most API requests it held at once (received, not yet answered) since start or resetCalls(). */
  peakConcurrency(): number;
  /** TCP connections open now (keep-alive and hung ones included): proves clients leave none behind. */
  openConnections(): Promise<number>;
  /** Closes the server, open keep-alive connections and hung sockets. */
  close(): Promise<void>;
}

const API_PREFIX = '/v2';
const SESSIONS_PATH = ['', 'v2', 'videosdk', 'sessions'];
const DEFAULT_SEED = 42;

export async function startSimulator(options: SimulatorOptions, port = 0, host = '127.0.0.1'): Promise<ZoomSimulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? DEFAULT_SEED;
  let sessions: readonly SimSession[] = Object.freeze(
    options.sessions ? [...options.sessions].sort(compareSessions) : generateSessions(seed, now()),
  );
  const tokens = new PageTokenStore(options.tokenTtlMs ?? ZOOM_PAGE_TOKEN_TTL_MS, now);
  const limiter = new RateLimiter(options.rateLimitPerMinute, now, options.rateLimitWindowMs);
  const faults = new FaultPlan(seed, options.faults);
  const maxPageSize = options.maxPageSize ?? ZOOM_MAX_PAGE_SIZE;
  const insides = new Map<string, SessionInside>();
  /** Live sessions whose end is already drawn: one entry per live session, dropped when it ends. */
  const plannedEnds = new Map<string, string>();
  const insideOf = (session: SimSession, asOfMs = now()): SessionInside => {
    const endsAt = plannedEnds.get(session.id);
    // Drawn as the ended session it becomes, so that its participants stay the same when it ends.
    if (endsAt !== undefined) return insideAsOf(sessionInside({ ...session, end_time: endsAt }, seed), asOfMs);
    let inside = insides.get(session.id);
    if (!inside) insides.set(session.id, (inside = sessionInside(session, seed)));
    return inside;
  };
  let latencyMs = options.latencyMs ?? 0;
  const callLogMax = options.callLogMax ?? DEFAULT_CALL_LOG_MAX;
  let log: CallRecord[] = [];
  let calls = 0;
  let trackingCounter = 0;
  const pendingAnswers = new Set<NodeJS.Timeout>();
  let answering = 0;
  let peak = 0;
  const hungSockets = new Set<Socket>();

  /** Everything Zoom would check, in the order a client meets it: injected faults, rate limit, auth, route. */
  function decide(req: IncomingMessage, path: string, query: Record<string, string>): Answer {
    const fault = faults.next();
    if (fault) return faultAnswer(fault, { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });

    const rate = limiter.take();
    if (!rate.allowed) {
      return zoomError(429, 429, QPS_LIMIT_MESSAGE, { headers: rateLimitHeaders(rate.limit, rate.retryAfterSeconds) });
    }
    const answer = route(req, path, query);
    if (answer.kind === 'json' && rate.limit !== undefined) {
      answer.headers = {
        ...answer.headers,
        'X-RateLimit-Category': 'Resource-intensive',
        'X-RateLimit-Limit': String(rate.limit),
        'X-RateLimit-Remaining': String(rate.remaining),
      };
    }
    return answer;
  }

  function route(req: IncomingMessage, path: string, query: Record<string, string>): Answer {
    // Zoom refuses a token outside the Authorization header even when a valid header is there too.
    if ('access_token' in query) return invalidAccessToken();
    if (!isAcceptedBearer(req.headers.authorization, { apiKey: options.apiKey, apiSecret: options.apiSecret, nowMs: now() })) {
      return invalidAccessToken();
    }
    const segments = path.split('/');
    if (req.method !== 'GET') {
      return zoomError(405, 405, `Method ${req.method ?? ''} is not allowed here.`, { headers: { Allow: 'GET' } });
    }
    const insideContext: InsideContext = { sessions, tokens, today: todayUtc(now()), nowMs: now(), maxPageSize, inside: insideOf };
    if (segments.length === 5 && segments[1] === 'v2' && segments[2] === 'videosdk' && segments[3] === 'report' && segments[4] === 'daily') {
      return dailyReport(query, insideContext);
    }
    const isSessions = SESSIONS_PATH.every((segment, i) => segments[i] === segment);
    const rest = segments.slice(SESSIONS_PATH.length + 1).join('/');
    const oneUserQos = /^users\/[^/]+\/qos$/.test(rest);
    if (!isSessions || segments[SESSIONS_PATH.length] === '' || (rest !== '' && rest !== 'users' && rest !== 'users/qos' && !oneUserQos)) {
      return zoomError(404, 404, `No route for ${req.method ?? 'GET'} ${path}.`);
    }
    const context: SessionsContext = { sessions, tokens, today: todayUtc(now()), maxPageSize };
    if (segments.length === SESSIONS_PATH.length) return listSessions(query, context);
    const id = decodeSessionIdSegment(segments[SESSIONS_PATH.length]);
    if (oneUserQos) return sessionUserQos(id, decodeURIComponent(rest.split('/')[1]), query, insideContext);
    if (rest !== '') return sessionUsers(id, rest === 'users/qos', query, insideContext);
    const known = sessions.find((session) => session.id === id);
    if (known && Date.parse(known.start_time) < now() - 365 * 86_400_000) return zoomError(SESSION_TOO_OLD.status, SESSION_TOO_OLD.code, SESSION_TOO_OLD.message);
    return sessionDetails(segments[SESSIONS_PATH.length], query, context);
  }

  function deliver(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
    if (req.socket.destroyed) return;
    if (answer.kind === 'reset') {
      req.socket.destroy();
    } else if (answer.kind === 'hang') {
      hungSockets.add(req.socket);
      req.socket.once('close', () => hungSockets.delete(req.socket));
    } else {
      send(res, answer.status, answer.headers, answer.body);
    }
  }

  function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'application/json;charset=UTF-8',
      'Content-Length': String(Buffer.byteLength(body)),
      // Zoom support asks for this id; the gateway keeps it in logs and errors (docs/zoom-contract.md §4, H).
      'x-zm-trackingid': `v=2.0;clid=sim;rid=${++trackingCounter}`,
    });
    res.end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    // The raw path, not a parsed URL: session IDs must reach the route with their own encoding.
    const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = Object.fromEntries(new URLSearchParams(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1)));
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) {
      send(res, 404, {}, JSON.stringify({ code: 404, message: `No route for ${path}; the API lives under ${API_PREFIX}.` }));
      return;
    }

    answering += 1;
    peak = Math.max(peak, answering);
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      answering -= 1;
    };
    res.once('finish', finished);
    res.once('close', finished);
    const answer = decide(req, path, query);
    calls += 1;
    log.push({ method: req.method ?? 'GET', path, query, status: answer.kind === 'json' ? answer.status : 0, at: now() });
    // Trimmed in halves, so that keeping the log bounded costs O(1) a call.
    if (log.length >= 2 * callLogMax) log = log.slice(-callLogMax);
    if (latencyMs <= 0) {
      deliver(req, res, answer);
      return;
    }
    const timer = setTimeout(() => {
      pendingAnswers.delete(timer);
      deliver(req, res, answer);
    }, latencyMs);
    pendingAnswers.add(timer);
  }

  const server = createServer(handle);
  const address = await listen(server, port, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    baseUrl: `http://${urlHost}:${address}${API_PREFIX}`,
    port: address,
    get sessions() {
      return sessions;
    },
    startLiveSession: (session, endsAt) => {
      if (endsAt !== undefined) plannedEnds.set(session.id, endsAt);
      sessions = Object.freeze([...sessions.filter((known) => known.id !== session.id), { ...session, end_time: '' }].sort(compareSessions));
    },
    endLiveSession: (id, endTime) => {
      plannedEnds.delete(id);
      const ran = (known: SimSession): string => formatDuration(Math.max(0, Math.round((Date.parse(endTime) - Date.parse(known.start_time)) / 1000)));
      sessions = Object.freeze(sessions.map((known) => (known.id === id ? { ...known, end_time: endTime, duration: ran(known) } : known)));
    },
    calls: () => calls,
    callLog: () => log.slice(-callLogMax),
    resetCalls: () => {
      log = [];
      peak = answering;
      calls = 0;
    },
    peakConcurrency: () => peak,
    expirePageTokens: () => tokens.revokeAll(),
    failNext: (...next) => faults.enqueue(next),
    setFaults: (rates) => faults.setRates(rates),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setRateLimit: (perMinute) => limiter.setLimit(perMinute),
    expectedSessions: (query) => selectSessions(sessions, query),
    inside: (sessionId, asOfMs) => {
      const session = sessions.find((candidate) => candidate.id === sessionId);
      return session === undefined ? undefined : insideOf(session, asOfMs);
    },
    openConnections: () =>
      new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of pendingAnswers) clearTimeout(timer);
        pendingAnswers.clear();
        for (const socket of hungSockets) socket.destroy();
        hungSockets.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
