import { initialise, openProtocolClient, subscribeEvents, ProtocolClient } from '../test/live/ws-client';
import { GatewayProcess, liveReconciliations, startGatewayProcess } from '../test/services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../test/services/redis-server';
import type { SimSession } from '../src/simulator/dataset';
import { ZoomSimulator, startSimulator } from '../src/simulator/simulator';
import { postWebhook, sessionEvent } from '../src/simulator/webhooks';
import { addDays, todayUtc } from '../src/time/calendar';
import { runAsScript } from './bench/run-main';

/**
 * Issue #19's sizes, each against one gateway in a process of its own and the simulator sending
 * signed webhooks: 5,000 live sessions in Zoom pages of 300 (with Redis); 30,000 sessions started
 * and ended within an hour (memory state, the default); a reconciliation that finds 3,000 changes
 * while subscribers read.
 */
const SECRET = 'zoom-webhook-secret-token-for-the-scale-bench';
const API_KEY = 'scale-api-key';
const API_SECRET = 'scale-api-secret-for-the-live-scale-bench';
const LIVE = 'query ($from: Date!, $to: Date!, $after: String) { sessions(type: LIVE, from: $from, to: $to, first: 300, after: $after) { nodes { sessionId } pageInfo { hasNextPage endCursor } } }';
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function simSession(id: string, startMs: number): SimSession {
  return {
    id, session_name: `Scale ${id}`, start_time: new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 0,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

function baseEnv(zoom: ZoomSimulator): Record<string, string> {
  return {
    PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
    ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
    ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
  };
}

/** Every LIVE session, walked page by page as a client would; undefined if a page was an error. */
async function walkLive(gateway: GatewayProcess): Promise<string[] | undefined> {
  const range = { from: addDays(todayUtc(Date.now()), -1), to: todayUtc(Date.now()) };
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LIVE, variables: { ...range, after } }) });
    const answer = (await response.json()) as { data?: { sessions: { nodes: { sessionId: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }; errors?: unknown[] };
    if (answer.data === undefined || answer.errors !== undefined) return undefined;
    ids.push(...answer.data.sessions.nodes.map((node) => node.sessionId));
    if (!answer.data.sessions.pageInfo.hasNextPage) return ids;
    after = answer.data.sessions.pageInfo.endCursor;
  }
}

async function metric(gateway: GatewayProcess, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(`${name}${labels}`) && !line.startsWith('#')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

async function postAll(url: string, bodies: readonly Parameters<typeof postWebhook>[2][], concurrency = 16): Promise<number> {
  let next = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        if ((await postWebhook(url, SECRET, body)) !== 200) refused += 1;
      }
    }),
  );
  return refused;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await pause(250);
  }
  return false;
}

function eventsOf(client: ProtocolClient, type: string): string[] {
  return client.messages.flatMap((message) => {
    if (message.type !== 'next') return [];
    const event = (message.payload as { data: { sessionEvents: { type: string; sessionId: string } } }).data.sessionEvents;
    return event.type === type ? [event.sessionId] : [];
  });
}

/** 5,000 live sessions at Zoom; the 1,000 oldest (past Zoom's tenth page) also announced by webhooks. */
async function fiveThousand(): Promise<string[]> {
  let redis: TestRedis | undefined;
  let zoom: ZoomSimulator | undefined;
  let gateway: GatewayProcess | undefined;
  let client: ProtocolClient | undefined;
  try {
    redis = await startOwnRedis();
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    const now = Date.now();
    const dayStart = Date.parse(`${todayUtc(now)}T00:00:00Z`);
    const sessions = Array.from({ length: 5_000 }, (_, n) => simSession(`scale/${n}==`, Math.max(dayStart, now - 60_000 - n * 1_000)));
    for (const session of sessions) zoom.startLiveSession(session);
    const started = Date.now();
    gateway = await startGatewayProcess({ ...baseEnv(zoom), REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('scale'), ZOOM_LIVE_RECONCILE_SECONDS: '5' });
    const refused = await postAll(gateway.url.replace(/\/graphql$/, '/webhooks/zoom'), sessions.slice(4_000).map((session) => sessionEvent('session.started', session, Date.parse(session.start_time))));
    client = await openProtocolClient(gateway.url);
    await initialise(client);
    subscribeEvents(client, 'ends', { types: ['SESSION_ENDED'] });
    const listCallsNow = () => zoom!.callLog().filter((call) => call.path.endsWith('/videosdk/sessions')).length;
    // Counted from just after a reconciliation is counted: a walk is counted once over, so none is then half read.
    const firstCounted = (await liveReconciliations(gateway)) + 1;
    await until(async () => (await liveReconciliations(gateway!)) >= firstCounted, 60_000);
    const reconciledBefore = await liveReconciliations(gateway);
    const listBefore = listCallsNow();
    // Two more reconciliations after the webhooks: the walks that used to end what lay past page 10.
    await until(async () => (await liveReconciliations(gateway!)) >= reconciledBefore + 2, 60_000);
    const reconciled = (await liveReconciliations(gateway)) - reconciledBefore;
    const listCalls = listCallsNow() - listBefore;
    const listed = (await walkLive(gateway)) ?? [];
    const ids = new Set(sessions.map((session) => session.id));
    const wrongEnds = eventsOf(client, 'SESSION_ENDED').filter((id) => ids.has(id)).length;
    return [
      `| 5,000 live sessions at Zoom (pages of 300), 1,000 of them also announced by webhooks; Redis | ${listed.filter((id) => ids.has(id)).length.toLocaleString("en-US")} of 5,000 listed by LIVE (${Math.ceil(listed.length / 300)} pages of 300) | ${wrongEnds} sessions ended while Zoom lists them; ${refused} webhooks refused | ${reconciled} reconciliations, ${reconciled === 0 ? 'n/a' : (listCalls / reconciled).toFixed(1)} List calls each; ${Math.round((Date.now() - started) / 1000)} s |`,
    ];
  } finally {
    await client?.close();
    await gateway?.stop();
    await zoom?.close();
    await redis?.stop();
  }
}

/** 30,000 sessions started and ended within the last hour, in memory mode; then one more starts. */
async function thirtyThousandEnded(): Promise<string[]> {
  let zoom: ZoomSimulator | undefined;
  let gateway: GatewayProcess | undefined;
  try {
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    gateway = await startGatewayProcess(baseEnv(zoom));
    const url = gateway.url.replace(/\/graphql$/, '/webhooks/zoom');
    const now = Date.now();
    const bodies = Array.from({ length: 30_000 }, (_, n) => {
      const startMs = now - 3_600_000 + n * 110;
      const session = simSession(`ended/${n}==`, startMs);
      return [sessionEvent('session.started', session, startMs), sessionEvent('session.ended', session, startMs + 60, new Date(startMs + 60).toISOString())];
    }).flat();
    const started = Date.now();
    const refused = await postAll(url, bodies);
    const seconds = (Date.now() - started) / 1000;
    const fresh = simSession('fresh/after+30000==', Date.now());
    zoom.startLiveSession(fresh);
    const freshStatus = await postWebhook(url, SECRET, sessionEvent('session.started', fresh, Date.now()));
    const appears = await until(async () => ((await walkLive(gateway!)) ?? []).includes(fresh.id), 10_000);
    const stale = await metric(gateway, 'zoom_webhooks_total', '{outcome="stale"}');
    const refusedFull = await metric(gateway, 'zoom_webhooks_total', '{outcome="refused"}');
    const rss = await metric(gateway, 'process_resident_memory_bytes');
    return [
      `| 30,000 sessions started and ended within an hour (60,000 webhooks), memory state; then a new session | the new session ${appears ? 'listed by LIVE' : 'NOT listed'} (its webhook answered ${freshStatus}) | ${stale} counted stale (a start delivered after its own end: 16 posts at once), ${refusedFull} refused for a full state; ${refused} webhooks not answered 200 | ${Math.round(bodies.length / seconds)} webhooks/s; gateway RSS ${Math.round(rss / 1_048_576)} MB |`,
    ];
  } finally {
    await gateway?.stop();
    await zoom?.close();
  }
}

/** A reconciliation that finds 3,000 sessions the state lacks, while 20 subscribers read every event. */
async function threeThousandChanges(): Promise<string[]> {
  const SUBSCRIBERS = 20;
  let zoom: ZoomSimulator | undefined;
  let gateway: GatewayProcess | undefined;
  const clients: ProtocolClient[] = [];
  try {
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    gateway = await startGatewayProcess({ ...baseEnv(zoom), ZOOM_LIVE_RECONCILE_SECONDS: '3' });
    await until(async () => (await liveReconciliations(gateway!)) > 0, 30_000);
    for (let i = 0; i < SUBSCRIBERS; i += 1) {
      const client = await openProtocolClient(gateway.url);
      await initialise(client);
      subscribeEvents(client, 'all');
      client.send({ type: 'ping' });
      await client.next((message) => message.type === 'pong');
      clients.push(client);
    }
    const now = Date.now();
    const dayStart = Date.parse(`${todayUtc(now)}T00:00:00Z`);
    const sessions = Array.from({ length: 3_000 }, (_, n) => simSession(`found/${n}==`, Math.max(dayStart, now - 60_000 - n * 1_000)));
    // Started at Zoom while no webhook reached the gateway (an outage of the event subscription): reconciliation finds them.
    for (const session of sessions) zoom.startLiveSession(session);
    const found = Date.now();
    const allIn = await until(async () => clients.every((client) => eventsOf(client, 'SESSION_STARTED').length >= sessions.length), 60_000);
    const seconds = (Date.now() - found) / 1000;
    let open = 0;
    for (const client of clients) {
      client.send({ type: 'ping' });
      if (await client.next((message) => message.type === 'pong', 5_000).then(() => true, () => false)) open += 1;
    }
    const fewest = Math.min(...clients.map((client) => new Set(eventsOf(client, 'SESSION_STARTED')).size));
    const listed = new Set((await walkLive(gateway)) ?? []);
    const whole = sessions.every((session) => listed.has(session.id));
    return [
      `| A reconciliation finding 3,000 sessions the state lacked, ${SUBSCRIBERS} subscribers reading | ${open} of ${SUBSCRIBERS} subscribers still connected; the fewest events one got: ${fewest} of 3,000 | LIVE ${whole ? 'lists all 3,000' : 'lacks some'} | ${allIn ? `all delivered within ${seconds.toFixed(1)} s of Zoom listing them` : 'not all delivered within 60 s'} |`,
    ];
  } finally {
    for (const client of clients) await client.close();
    await gateway?.stop();
    await zoom?.close();
  }
}

export async function benchLiveScale(): Promise<string> {
  const rows = [...(await fiveThousand()), ...(await thirtyThousandEnded()), ...(await threeThousandChanges())];
  return ['One gateway process per row, the simulator in the bench process sending signed webhooks.', '', '| scenario | served | nothing invented or lost | cost |', '|---|---|---|---|', ...rows].join('\n');
}

if (require.main === module) runAsScript(() => benchLiveScale());
