import { API_KEY, API_SECRET } from '../harness';
import { GatewayProcess, liveReconciliations, startGatewayProcesses, webhookUrl } from '../services/gateway-process';
import { TestRedis, startOwnRedis, uniqueKeyPrefix } from '../services/redis-server';
import { SimSession, formatDuration, isoSeconds } from '../../src/simulator/dataset';
import { ZoomSimulator, startSimulator } from '../../src/simulator/simulator';
import { postWebhook, sessionEvent, userEvent } from '../../src/simulator/webhooks';
import { Day, todayUtc } from '../../src/time/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';
const INTERVAL_S = 2;

const LIST = 'query ($type: SessionType!, $from: Date!, $to: Date!) { sessions(type: $type, from: $from, to: $to, first: 100) { nodes { sessionId } } }';
const ONE_LIVE = 'query ($id: ID!) { session(id: $id, type: LIVE) { sessionId endTime } }';
const PEOPLE = 'query ($id: ID!) { session(id: $id, type: LIVE) { sessionId users(first: 50) { nodes { name } } } }';

interface Answer<T> {
  data?: T;
  errors?: unknown[];
}

async function graphql<T>(gateway: GatewayProcess, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const answer = (await response.json()) as Answer<T>;
  expect(answer.errors).toBeUndefined();
  return answer.data as T;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A session live at Zoom since up to ten minutes ago (never before today, UTC, so that it is on
 * today's pages), its `duration` the time it has run, as the simulator's own live sessions.
 */
function liveSession(id: string, userCount: number, nowMs: number, today: Day): SimSession {
  const startMs = Math.max(nowMs - 10 * 60_000, Date.parse(`${today}T00:00:00Z`));
  return {
    id, session_name: `Instances ${id}`, start_time: isoSeconds(startMs), duration: formatDuration(Math.floor((nowMs - startMs) / 1000)), user_count: userCount,
    has_voip: true, has_video: false, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

describe('three gateway processes on one Redis answer live sessions as one', () => {
  let redis: TestRedis;
  let zoom: ZoomSimulator;
  let gateways: GatewayProcess[] = [];

  beforeAll(async () => {
    redis = await startOwnRedis();
    // The processes run on the machine's clock: so does their Zoom.
    zoom = await startSimulator({ apiKey: API_KEY, apiSecret: API_SECRET, sessions: [] });
    const env = {
      PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', GATEWAY_AUTH: 'off',
      ZOOM_VIDEOSDK_API_KEY: API_KEY, ZOOM_VIDEOSDK_API_SECRET: API_SECRET, ZOOM_API_BASE_URL: zoom.baseUrl,
      REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniqueKeyPrefix('live-instances'), REDIS_COMMAND_TIMEOUT_MS: '200',
      // Not about Zoom's budget: a reconciliation every 2 s would spend more than 20 List calls a minute.
      ZOOM_LIST_SESSIONS_PER_MINUTE: '100000',
      ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, ZOOM_LIVE_RECONCILE_SECONDS: String(INTERVAL_S),
    };
    gateways = await startGatewayProcesses(3, env);
    // Whole once one instance reconciled; the others read its mark within a quarter of a second (live-watch.ts).
    await until(async () => (await Promise.all(gateways.map(liveReconciliations))).some((count) => count > 0), 20_000);
    await pause(1_000);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await zoom?.close();
    await redis?.stop();
  });

  const sessionsPath = '/v2/videosdk/sessions/';
  const detailsCalls = () => zoom.callLog().filter((call) => call.path.startsWith(sessionsPath) && !call.path.slice(sessionsPath.length).includes('/')).length;
  const participantsCalls = () => zoom.callLog().filter((call) => call.path.startsWith(sessionsPath) && call.path.endsWith('/users')).length;
  const pastListCalls = () => zoom.callLog().filter((call) => call.path.endsWith('/videosdk/sessions') && call.query.type === 'past').length;

  const listed = async (gateway: GatewayProcess, type: 'LIVE' | 'PAST', today: Day): Promise<string[]> => {
    const data = await graphql<{ sessions: { nodes: { sessionId: string }[] } }>(gateway, LIST, { type, from: today, to: today });
    return data.sessions.nodes.map((node) => node.sessionId);
  };

  /** Zoom has it live and one instance took its `session.started`; every instance lists it live. */
  const start = async (session: SimSession, today: Day, via: GatewayProcess): Promise<void> => {
    zoom.startLiveSession(session);
    expect(await postWebhook(webhookUrl(via), SECRET, sessionEvent('session.started', session, Date.now()))).toBe(200);
    await until(async () => (await Promise.all(gateways.map((gateway) => listed(gateway, 'LIVE', today)))).every((ids) => ids.includes(session.id)), 5_000);
  };

  it('answers session(id, type: LIVE) of a session the live state holds on every instance with no Zoom details call', async () => {
    const now = Date.now();
    const today = todayUtc(now);
    const session = liveSession('instances+one==', 2, now, today);
    await start(session, today, gateways[0]);

    const before = detailsCalls();
    for (const gateway of gateways) {
      const data = await graphql<{ session: { sessionId: string; endTime: string | null } | null }>(gateway, ONE_LIVE, { id: session.id });
      expect(data.session).toEqual({ sessionId: session.id, endTime: null });
    }
    expect(detailsCalls() - before).toBe(0);
  });

  it('lists an ending session in LIVE or in PAST on every instance at every moment, its day\'s cached PAST pages evicted', async () => {
    const now = Date.now();
    const today = todayUtc(now);
    const session = liveSession('instances+ends==', 2, now, today);
    await start(session, today, gateways[1]);

    // Every instance holds today's PAST page without the session: a round of queries then costs no PAST List call.
    for (const gateway of gateways) expect(await listed(gateway, 'PAST', today)).not.toContain(session.id);
    await until(async () => {
      const calls = pastListCalls();
      for (const gateway of gateways) expect(await listed(gateway, 'PAST', today)).not.toContain(session.id);
      return pastListCalls() === calls;
    }, 5_000);

    const endedAt = Date.now();
    zoom.endLiveSession(session.id, isoSeconds(endedAt));
    expect(await postWebhook(webhookUrl(gateways[2]), SECRET, sessionEvent('session.ended', session, endedAt, isoSeconds(endedAt)))).toBe(200);

    // LIVE before PAST: a session gone from LIVE had ended when PAST was asked, so PAST must hold it.
    const inEither = async (gateway: GatewayProcess, index: number): Promise<string | undefined> => {
      const live = await listed(gateway, 'LIVE', today);
      const past = await listed(gateway, 'PAST', today);
      return live.includes(session.id) || past.includes(session.id) ? undefined : `instance ${index} lists ${session.id} in neither LIVE nor PAST`;
    };
    // Twenty rounds 100 ms apart: the 2-second loop, counted in rounds so a slow machine watches it all.
    for (let round = 0; round < 20; round += 1) {
      const missing = (await Promise.all(gateways.map(inEither))).filter((each) => each !== undefined);
      expect(missing).toEqual([]);
      await pause(100);
    }
    // Long before the default TTL of today's PAST page: the end evicted it on every instance.
    for (const gateway of gateways) {
      expect(await listed(gateway, 'LIVE', today)).not.toContain(session.id);
      expect(await listed(gateway, 'PAST', today)).toContain(session.id);
    }
  });

  it('lists the participants of a live session who joined before the gateway heard of them, reads them from Zoom once, and adds a later join', async () => {
    const now = Date.now();
    const today = todayUtc(now);
    const session = liveSession('instances+room==', 5, now, today);
    // Only session.started: the five joined at Zoom before any webhook told of them.
    await start(session, today, gateways[0]);
    const atZoom = zoom.inside(session.id)!.participants.map((person) => person.name).sort();
    expect(atZoom).toHaveLength(5);

    const people = async (gateway: GatewayProcess): Promise<string[]> => {
      const data = await graphql<{ session: { users: { nodes: { name: string }[] } } | null }>(gateway, PEOPLE, { id: session.id });
      return (data.session?.users.nodes ?? []).map((user) => user.name).sort();
    };
    const before = participantsCalls();
    expect(await people(gateways[0])).toEqual(atZoom);
    const read = participantsCalls();
    expect(read - before).toBe(1);
    expect(await people(gateways[0])).toEqual(atZoom);
    expect(participantsCalls()).toBe(read);

    const late = { id: '16999001', name: 'Late Joiner', participant_uuid: 'late-joiner-uuid==' };
    expect(await postWebhook(webhookUrl(gateways[1]), SECRET, userEvent('session.user_joined', session, late, Date.now()))).toBe(200);
    const withLate = [...atZoom, late.name].sort();
    await until(async () => JSON.stringify(await people(gateways[0])) === JSON.stringify(withLate), 5_000);
    // The join came from the webhook: Zoom's participants were not read again.
    expect(participantsCalls()).toBe(read);
    for (const gateway of gateways.slice(1)) await until(async () => JSON.stringify(await people(gateway)) === JSON.stringify(withLate), 5_000);
  });
});
