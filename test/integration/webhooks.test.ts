import { createHmac } from 'node:crypto';
import { LiveNowDocument } from '../generated/graphql';
import { capturedLogger } from '../services/log-lines';
import { REFUSED_WEBHOOKS_LOGGED_PER_MINUTE } from '../../src/transport/webhook.routes';
import { Stack, startStack } from '../harness';
import { ProtocolClient, initialise, openProtocolClient, subscribeEvents } from '../live/ws-client';
import { until } from '../contracts/event-bus.contract';
import type { SimSession } from '../../src/simulator/dataset';
import { mulberry32, randomInt } from '../../src/simulator/prng';
import { SimParticipant, ZoomWebhookBody, postWebhook, sessionEvent, signWebhook, userEvent } from '../../src/simulator/webhooks';
import { todayUtc, addDays } from '../../src/time/calendar';

const SECRET = 'zoom-webhook-secret-token-for-tests';

function webhookUrl(stack: Stack): string {
  return stack.url.replace(/\/graphql$/, '/webhooks/zoom');
}

function webhookCounts(stack: Stack): Promise<Record<string, number>> {
  return stack.gateway.metrics.registry
    .getSingleMetric('zoom_webhooks_total')!
    .get()
    .then((metric) => Object.fromEntries(metric.values.map((value) => [String(value.labels.outcome), value.value])));
}

async function processed(stack: Stack): Promise<number> {
  const { unsigned: _unsigned, validation: _validation, ...taken } = await webhookCounts(stack);
  return Object.values(taken).reduce((sum, count) => sum + count, 0);
}

function liveRange(stack: Stack): { from: string; to: string } {
  const today = todayUtc(stack.clock.now());
  return { from: addDays(today, -1), to: today };
}

async function liveNow(stack: Stack): Promise<Map<string, number>> {
  return new Map([...(await liveCounts(stack))].map(([id, counts]) => [id, counts.userCount]));
}

/** Each live session's counts: who joined (present or gone), and who is in it now. */
async function liveCounts(stack: Stack): Promise<Map<string, { userCount: number; participantsNow: number | null }>> {
  const answer = await stack.request(LiveNowDocument, { ...liveRange(stack), first: 300 });
  if (!answer.body.data) throw new Error(answer.text);
  return new Map(answer.body.data.sessions.nodes.map((node) => [node.sessionId, { userCount: node.userCount, participantsNow: node.participantsNow }]));
}

function simSession(id: string, startMs: number): SimSession {
  return {
    id, session_name: `Session ${id}`, start_time: new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration: '00:00', user_count: 1,
    has_voip: true, has_video: true, has_screen_share: false, has_recording: false, has_pstn: false, has_session_summary: false,
    audio_quality: 'good', video_quality: 'good', screen_share_quality: '',
  };
}

interface Scenario {
  readonly events: ZoomWebhookBody[];
  readonly live: Map<string, Set<string>>;
  readonly ended: Set<string>;
}

/** Sessions whose events, applied in `event_ts` order, leave a known live set; 800 events in all. */
function scenario(baseMs: number, count: number): Scenario {
  const random = mulberry32(12);
  const events: ZoomWebhookBody[] = [];
  const live = new Map<string, Set<string>>();
  const ended = new Set<string>();
  for (let n = 0; events.length < count; n += 1) {
    const id = n % 7 === 3 ? `/lead+slash${n}==` : `sess${n}+/x==`;
    let ts = baseMs + n * 100;
    const session = simSession(id, ts);
    const timeline: ZoomWebhookBody[] = [sessionEvent('session.started', session, ts)];
    const present = new Set<string>();
    const users: SimParticipant[] = Array.from({ length: randomInt(random, 1, 12) }, (_, i) => ({ id: `${n}-${i}`, name: `User ${i}`, participant_uuid: `uuid-${n}-${i}` }));
    for (const user of users) {
      timeline.push(userEvent('session.user_joined', session, user, (ts += 7)));
      present.add(user.id);
    }
    for (const user of users) {
      if (random() < 0.4) {
        timeline.push(userEvent('session.user_left', session, user, (ts += 7)));
        present.delete(user.id);
      }
    }
    const ends = random() < 0.3;
    if (ends) timeline.push(sessionEvent('session.ended', session, (ts += 7)));
    const room = count - events.length;
    if (timeline.length > room) {
      // The last session is cut short: its truth is that of the events kept.
      timeline.length = room;
      present.clear();
      for (const event of timeline) {
        const user = (event.payload.object.user as SimParticipant | undefined)?.id;
        if (event.event === 'session.user_joined' && user) present.add(user);
        if (event.event === 'session.user_left' && user) present.delete(user);
      }
      live.set(id, present);
    } else if (ends) ended.add(id);
    else live.set(id, present);
    events.push(...timeline);
  }
  return { events, live, ended };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const random = mulberry32(seed);
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

async function postAll(url: string, bodies: readonly { body: ZoomWebhookBody; headers?: (raw: string) => Record<string, string> }[], now: () => number, concurrency = 8): Promise<number[]> {
  const statuses: number[] = new Array(bodies.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const index = next++;
        const { body, headers } = bodies[index];
        if (!headers) {
          statuses[index] = await postWebhook(url, SECRET, body, now());
          continue;
        }
        const raw = JSON.stringify(body);
        const response = await fetch(url, { method: 'POST', headers: headers(raw), body: raw });
        await response.arrayBuffer();
        statuses[index] = response.status;
      }
    }),
  );
  return statuses;
}

describe('Zoom webhooks feed the live state', () => {
  let stack: Stack;
  let subscriber: ProtocolClient;

  beforeAll(async () => {
    stack = await startStack({ simulator: { sessions: [] }, env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET } });
    await until(() => stack.gateway.core.live.servesLive());
    subscriber = await openProtocolClient(stack.url);
    await initialise(subscriber);
    subscribeEvents(subscriber, 'all');
  });

  afterAll(async () => {
    await subscriber.close();
    await stack.close();
  });

  it('answers Zoom\'s url_validation with the encrypted token, and refuses it unsigned', async () => {
    const body = { event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: stack.clock.now() };
    const raw = JSON.stringify(body);
    const response = await fetch(webhookUrl(stack), { method: 'POST', headers: signWebhook(SECRET, raw, stack.clock.now()), body: raw });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') });
    const unsigned = await fetch(webhookUrl(stack), { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await unsigned.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a signed url_validation whose plainToken is not Unicode (a lone surrogate, escaped or as bytes) rather than echo it', async () => {
    const escaped = Buffer.from(`{"event":"endpoint.url_validation","payload":{"plainToken":"ab\\ud800cd"},"event_ts":${stack.clock.now()}}`);
    // The same surrogate written as UTF-8 would write it (ED A0 80), which is not UTF-8.
    const bytes = Buffer.concat([Buffer.from('{"event":"endpoint.url_validation","payload":{"plainToken":"ab'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`cd"},"event_ts":${stack.clock.now()}}`)]);
    for (const raw of [escaped, bytes]) {
      const headers = { ...signWebhook(SECRET, '', stack.clock.now()), 'x-zm-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${Math.floor(stack.clock.now() / 1000)}:`).update(raw).digest('hex')}` };
      const response = await fetch(webhookUrl(stack), { method: 'POST', headers, body: raw });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('takes 1,000 signed events with 20% duplicates, out of order, and refuses every forgery and replay: exactly the right live set, none applied twice', async () => {
    const baseMs = stack.clock.now() - 10 * 60_000;
    const { events, live, ended } = scenario(baseMs, 800);
    const random = mulberry32(99);
    const duplicates = Array.from({ length: 200 }, () => events[Math.floor(random() * events.length)]);
    // Out-of-order pairs for sure: every ended session's end is delivered, and applied, before its start.
    const isEnd = (body: ZoomWebhookBody) => body.event === 'session.ended';
    const ends = events.filter(isEnd);
    const deliveries = shuffle([...events.filter((body) => !isEnd(body)), ...duplicates], 5);
    const liveIds = [...live.keys()];
    // Forgeries would end every live session and empty it; replays are signed but 10 minutes old.
    const harmful = liveIds.map((id) => sessionEvent('session.ended', simSession(id, baseMs), stack.clock.now()));
    const forged = harmful.map((body) => ({ body, headers: (raw: string) => ({ ...signWebhook('not-the-secret', raw, stack.clock.now()) }) }));
    const tampered = harmful.map((body) => ({ body, headers: (raw: string) => signWebhook(SECRET, raw.replace('"event_ts":', '"event_ts": '), stack.clock.now()) }));
    const replayed = harmful.map((body) => ({ body, headers: (raw: string) => signWebhook(SECRET, raw, stack.clock.now() - 10 * 60_000) }));
    const unsigned = harmful.map((body) => ({ body, headers: () => ({ 'content-type': 'application/json' }) }));
    const before = await processed(stack);
    const refusedBefore = (await webhookCounts(stack)).unsigned ?? 0;
    const mixed: { body: ZoomWebhookBody; headers?: (raw: string) => Record<string, string> }[] = shuffle([...deliveries.map((body) => ({ body })), ...forged, ...tampered, ...replayed, ...unsigned], 8);
    const endStatuses = await postAll(webhookUrl(stack), ends.map((body) => ({ body })), stack.clock.now);
    await until(async () => (await processed(stack)) - before >= ends.length, 10_000);
    const statuses = await postAll(webhookUrl(stack), mixed, stack.clock.now);
    expect(endStatuses).toEqual(new Array(ends.length).fill(200));
    const refused = mixed.flatMap((delivery, index) => (delivery.headers ? [statuses[index]] : []));
    const accepted = mixed.flatMap((delivery, index) => (delivery.headers ? [] : [statuses[index]]));
    expect(refused).toEqual(new Array(refused.length).fill(401));
    expect(accepted).toEqual(new Array(1_000 - ends.length).fill(200));
    await until(async () => (await processed(stack)) - before >= 1_000, 10_000);
    expect(await processed(stack)).toBe(before + 1_000);
    expect((await webhookCounts(stack)).duplicate).toBe(200);
    expect((await webhookCounts(stack)).unsigned).toBe(refusedBefore + refused.length);

    const calls = stack.zoom.calls();
    const served = await liveCounts(stack);
    expect(stack.zoom.calls()).toBe(calls);
    expect([...served.keys()].sort()).toEqual(liveIds.sort());
    for (const [id, present] of live) {
      const participants = await stack.gateway.core.live.participants(id);
      // userCount is who joined, present or gone: at least those present, and every participant the state holds;
      // participantsNow is who is in it now.
      expect([id, served.get(id)]).toEqual([id, { userCount: participants.length, participantsNow: present.size }]);
      expect(participants.length).toBeGreaterThanOrEqual(present.size);
      expect(participants.filter((user) => user.leaveTime === null).map((user) => user.id).sort()).toEqual([...present].sort());
    }

    // Each event reached the subscriber at most once; stale ones (a start after its end) not at all.
    await until(() => subscriber.messages.length > 0);
    const nexts = subscriber.messages.filter((message) => message.type === 'next');
    const keys = nexts.map((message) => {
      const event = (message.payload as { data: { sessionEvents: { type: string; occurredAt: string; sessionId: string; user: { id: string } | null } } }).data.sessionEvents;
      return JSON.stringify([event.type, event.occurredAt, event.sessionId, event.user?.id ?? null]);
    });
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeLessThanOrEqual(800);
    expect(keys.some((key) => key.startsWith('["SESSION_STARTED"') && [...ended].some((id) => key.includes(JSON.stringify(id))))).toBe(false);
  }, 60_000);

  it('shows a subscriber the session.started posted to the webhook', async () => {
    const client = await openProtocolClient(stack.url);
    await initialise(client);
    subscribeEvents(client, 'mine', { types: ['SESSION_STARTED'] });
    // The subscription is in place once the server has its subscribe: a ping round trip later.
    client.send({ type: 'ping' });
    await client.next((message) => message.type === 'pong');
    const session = simSession('fresh/session==', stack.clock.now());
    expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.started', session, stack.clock.now()), stack.clock.now())).toBe(200);
    const message = await client.next((each) => each.type === 'next' && each.id === 'mine');
    expect(message.payload).toEqual({
      data: { sessionEvents: { type: 'SESSION_STARTED', occurredAt: expect.any(String), sessionId: 'fresh/session==', session: { sessionId: 'fresh/session==', sessionName: 'Session fresh/session==', endTime: null, userCount: 0 }, user: null } },
    });
    await client.close();
  });

  it('serves the participants of a live session from the state, present and gone, reading Zoom\'s participants list once', async () => {
    const session = simSession('with/people==', stack.clock.now() - 60_000);
    const stays: SimParticipant = { id: 'stays', name: 'Stays', participant_uuid: 'uuid-stays' };
    const leaves: SimParticipant = { id: 'leaves', name: 'Leaves', participant_uuid: 'uuid-leaves' };
    const at = stack.clock.now() - 50_000;
    const before = await processed(stack);
    for (const [index, body] of [
      sessionEvent('session.started', session, at),
      userEvent('session.user_joined', session, stays, at + 1),
      userEvent('session.user_joined', session, leaves, at + 2),
      userEvent('session.user_left', session, leaves, at + 3),
    ].entries()) {
      expect([index, await postWebhook(webhookUrl(stack), SECRET, body, stack.clock.now())]).toEqual([index, 200]);
    }
    await until(async () => (await processed(stack)) - before >= 4, 10_000);
    const ask = () =>
      stack.post({
        query: 'query ($from: Date, $to: Date) { sessions(type: LIVE, from: $from, to: $to, first: 5, sessionName: "Session with/people==") { nodes { sessionId users(first: 10) { nodes { userId name leaveTime } pageInfo { hasNextPage } } } } }',
        variables: liveRange(stack),
      });
    // The first look reads Zoom's participants list once (those who joined before the gateway listened; here Zoom knows none).
    const first = stack.zoom.calls();
    await ask();
    expect(stack.zoom.calls() - first).toBe(1);
    const calls = stack.zoom.calls();
    const answer = await ask();
    expect(answer.body.errors).toBeUndefined();
    const nodes = (answer.body.data as { sessions: { nodes: { sessionId: string; users: unknown }[] } }).sessions.nodes;
    expect(nodes.find((node) => node.sessionId === 'with/people==')?.users).toEqual({
      nodes: [{ userId: 'stays', name: 'Stays', leaveTime: null }, { userId: 'leaves', name: 'Leaves', leaveTime: expect.any(String) }],
      pageInfo: { hasNextPage: false },
    });
    expect(stack.zoom.calls() - calls).toBe(0);
  });

  it('opens a live session by id from the state with no Zoom call; after session.ended it is in PAST at once, the cached page evicted', async () => {
    const startMs = stack.clock.now() - 120_000;
    const session = simSession('opened/by+id==', startMs);
    stack.zoom.startLiveSession(session);
    expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.started', session, startMs), stack.clock.now())).toBe(200);
    const isLive = async () => (await stack.gateway.core.live.liveSessions()).some((record) => record.id === session.id);
    await until(isLive, 10_000);

    const calls = stack.zoom.calls();
    const opened = await stack.post({ query: 'query ($id: ID!) { session(id: $id, type: LIVE) { id sessionId endTime participantsNow } }', variables: { id: session.id } });
    const { id: nodeId, ...fields } = (opened.body as { data: { session: { id: string } } }).data.session;
    expect(fields).toEqual({ sessionId: session.id, endTime: null, participantsNow: 0 });
    // By its global id (Relay's refetch, a federated `_entities`), the same session from the same state.
    const byNode = await stack.post({ query: 'query ($id: ID!) { node(id: $id) { ... on Session { sessionId endTime participantsNow } } }', variables: { id: nodeId } });
    expect(byNode.body).toEqual({ data: { node: fields } });
    expect(stack.zoom.calls() - calls).toBe(0);

    const today = todayUtc(stack.clock.now());
    const pastIds = async () => {
      const answer = await stack.post({ query: 'query ($from: Date, $to: Date) { sessions(type: PAST, from: $from, to: $to, first: 300) { nodes { sessionId } } }', variables: { from: today, to: today } });
      return (answer.body.data as { sessions: { nodes: { sessionId: string }[] } }).sessions.nodes.map((node) => node.sessionId);
    };
    expect(await pastIds()).not.toContain(session.id);
    const cached = stack.zoom.calls();
    expect(await pastIds()).not.toContain(session.id);
    expect(stack.zoom.calls()).toBe(cached);

    const endTime = new Date(stack.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    stack.zoom.endLiveSession(session.id, endTime);
    expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.ended', session, stack.clock.now(), endTime), stack.clock.now())).toBe(200);
    await until(async () => !(await isLive()), 10_000);
    // Within the PAST page's freshness (60 s), yet read again: the end made it stale.
    expect(await pastIds()).toContain(session.id);
  });

  it('lists who joined a live session before the gateway listened, reading Zoom\'s participants list once, then follows webhooks', async () => {
    const startMs = stack.clock.now() - 10 * 60_000;
    const session = { ...simSession('joined/before+us==', startMs), user_count: 4 };
    stack.zoom.startLiveSession(session);
    // Only the start reaches the gateway: the four were in before anything was heard.
    expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.started', session, startMs), stack.clock.now())).toBe(200);
    await until(async () => (await stack.gateway.core.live.liveSessions()).some((record) => record.id === session.id), 10_000);
    const atZoom = stack.zoom.inside(session.id)!.participants.map((user) => user.name).sort();
    expect(atZoom.length).toBeGreaterThan(0);
    const names = async () => {
      const answer = await stack.post({ query: 'query ($id: ID!) { session(id: $id, type: LIVE) { users(first: 50) { nodes { name } } } }', variables: { id: session.id } });
      return (answer.body.data as { session: { users: { nodes: { name: string }[] } } }).session.users.nodes.map((user) => user.name).sort();
    };
    const first = stack.zoom.calls();
    expect(await names()).toEqual(atZoom);
    expect(stack.zoom.calls() - first).toBe(1);
    const again = stack.zoom.calls();
    expect(await names()).toEqual(atZoom);
    expect(stack.zoom.calls()).toBe(again);

    const late: SimParticipant = { id: 'late-comer', name: 'Late Comer', participant_uuid: 'uuid-late-comer' };
    expect(await postWebhook(webhookUrl(stack), SECRET, userEvent('session.user_joined', session, late, stack.clock.now()), stack.clock.now())).toBe(200);
    await until(async () => (await stack.gateway.core.live.participants(session.id)).length > 0, 10_000);
    expect(await names()).toEqual([...atZoom, 'Late Comer'].sort());
    expect(stack.zoom.calls()).toBe(again);
  });

  it('serves LIVE queries with 0 List-sessions calls between reconciliations', async () => {
    const calls = stack.zoom.calls();
    for (let i = 0; i < 20; i += 1) await liveNow(stack);
    expect(stack.zoom.calls()).toBe(calls);
  });

  it('is not behind client credentials but has its own body limit', async () => {
    const big = JSON.stringify({ event: 'session.alert', event_ts: 1, payload: { object: { id: 'x', pad: 'x'.repeat(70_000) } } });
    const response = await fetch(webhookUrl(stack), { method: 'POST', headers: signWebhook(SECRET, big, stack.clock.now()), body: big });
    expect(response.status).toBe(413);
  });

  it('tells a client that sends another method that the route takes POST, before reading any body it sent', async () => {
    const refusal = { errors: [{ message: '/webhooks/zoom takes POST.', extensions: { code: 'METHOD_NOT_ALLOWED' } }] };
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(webhookUrl(stack), { method });
      expect([method, response.status, response.headers.get('allow'), await response.json()]).toEqual([method, 405, 'POST', refusal]);
    }
    // A body the route would refuse (not JSON, of a foreign type, declared far larger than the limit) is never read.
    for (const [type, body] of [['application/json', '{{{{'], ['text/xml', '<a/>']]) {
      const response = await fetch(webhookUrl(stack), { method: 'PUT', headers: { 'content-type': type }, body });
      expect([type, response.status, response.headers.get('allow'), await response.json()]).toEqual([type, 405, 'POST', refusal]);
    }
  });
});

describe('unsigned webhooks in the log', () => {
  it('are all counted, and logged at most REFUSED_WEBHOOKS_LOGGED_PER_MINUTE a minute: anyone who reaches the route can send them', async () => {
    const { logger, lines } = capturedLogger('info');
    const stack = await startStack({ simulator: { sessions: [] }, env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET }, logger });
    try {
      const SENT = 150;
      const raw = JSON.stringify({ event: 'session.started', event_ts: stack.clock.now(), payload: { object: { id: 'x' } } });
      for (let sent = 0; sent < SENT; sent += 1) {
        const response = await fetch(webhookUrl(stack), { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
        expect(response.status).toBe(401);
      }
      expect((await webhookCounts(stack)).unsigned).toBe(SENT);
      expect(lines.filter((line) => line.msg === 'webhook refused')).toHaveLength(REFUSED_WEBHOOKS_LOGGED_PER_MINUTE);
    } finally {
      await stack.close();
    }
  });
});

describe('reconciliation with Zoom\'s live list', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, ZOOM_LIVE_RECONCILE_SECONDS: '1', GATEWAY_API_KEYS: 'a-client-api-key-0123456789' }, headers: { 'x-api-key': 'a-client-api-key-0123456789' } });
    await until(() => stack.gateway.core.live.servesLive());
  });

  afterAll(async () => {
    await stack.close();
  });

  async function reconciliations(): Promise<number> {
    const metric = await stack.gateway.metrics.registry.getSingleMetric('zoom_live_reconciliations_total')!.get();
    return metric.values.find((value) => value.labels.outcome === 'ok')?.value ?? 0;
  }

  it('starts with the simulator\'s live sessions from one List-sessions walk at start-up', async () => {
    const expected = stack.zoom.expectedSessions({ type: 'live', ...liveRange(stack) }).map((session) => session.id);
    expect([...(await liveNow(stack)).keys()].sort()).toEqual([...expected].sort());
  });

  it('finds a session started at Zoom without its webhook, and ends one that ended without it, at the next reconciliation', async () => {
    const unseen = simSession('no/webhook/ever==', stack.clock.now());
    stack.zoom.startLiveSession(unseen);
    const [gone] = stack.zoom.expectedSessions({ type: 'live', ...liveRange(stack) }).filter((session) => session.id !== unseen.id);
    stack.zoom.endLiveSession(gone.id, new Date(stack.clock.now()).toISOString());
    expect((await liveNow(stack)).has(unseen.id)).toBe(false);
    // Seen alive within the grace a session is not ended for missing from one list: time moves on.
    stack.clock.advance(60_000);
    const seen = await reconciliations();
    await until(async () => (await reconciliations()) >= seen + 2, 10_000);
    const served = await liveNow(stack);
    expect(served.has(unseen.id)).toBe(true);
    expect(served.has(gone.id)).toBe(false);
  });

  it('ignores a signed event whose event_ts names no date, or whose event is nested past any name, and goes on answering LIVE', async () => {
    const session = simSession('far/future==', stack.clock.now());
    for (const ts of [Number.MAX_SAFE_INTEGER, 8.64e15 + 1, 253402300800000]) {
      expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.started', session, ts), stack.clock.now())).toBe(200);
    }
    const nested = `${'['.repeat(20_000)}"session.started"${']'.repeat(20_000)}`;
    const raw = `{"event":${nested},"event_ts":${stack.clock.now()},"payload":{"object":{"id":"nested=="}}}`;
    const response = await fetch(webhookUrl(stack), { method: 'POST', headers: signWebhook(SECRET, raw, stack.clock.now()), body: raw });
    expect(response.status).toBe(200);
    // Past the next read of the state (a second), LIVE still answers, without the session.
    stack.clock.advance(2_000);
    const live = await liveNow(stack);
    expect(live.has(session.id)).toBe(false);
  });

  it('takes a signed event whose times are no dates as one without them, and goes on answering LIVE with its session', async () => {
    const day = todayUtc(stack.clock.now());
    const session = { ...simSession('bad/times==', stack.clock.now()), start_time: `${day}T25:00:00Z` };
    expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.started', session, stack.clock.now()), stack.clock.now())).toBe(200);
    const joined = userEvent('session.user_joined', session, { id: 'u1', name: 'One', participant_uuid: 'uuid-u1' }, stack.clock.now());
    (joined.payload.object.user as Record<string, unknown>).join_time = '+275760-09-13T00:00:00.000Z';
    expect(await postWebhook(webhookUrl(stack), SECRET, joined, stack.clock.now())).toBe(200);
    stack.clock.advance(2_000);
    const answer = await stack.post({ query: 'query ($from: Date, $to: Date) { sessions(from: $from, to: $to) { nodes { sessionId startTime users { nodes { name joinTime } } } } }', variables: liveRange(stack) });
    expect(answer.body.errors).toBeUndefined();
    const found = (answer.body.data as { sessions: { nodes: { sessionId: string; startTime: string; users: { nodes: { name: string; joinTime: string }[] } }[] } }).sessions.nodes.find((node) => node.sessionId === session.id);
    expect(found?.users.nodes.map((user) => user.name)).toEqual(['One']);
    expect(Number.isNaN(Date.parse(found?.startTime ?? ''))).toBe(false);
  });

  it('signed webhooks need no client credential', async () => {
    const session = simSession('keyless==', stack.clock.now());
    expect(await postWebhook(webhookUrl(stack), SECRET, sessionEvent('session.started', session, stack.clock.now()), stack.clock.now())).toBe(200);
  });
});

describe('without ZOOM_WEBHOOK_SECRET_TOKEN', () => {
  it('has no webhook route, and LIVE queries go to Zoom as before', async () => {
    const stack = await startStack();
    try {
      const raw = JSON.stringify(sessionEvent('session.started', simSession('x', stack.clock.now()), stack.clock.now()));
      const response = await fetch(webhookUrl(stack), { method: 'POST', headers: signWebhook(SECRET, raw, stack.clock.now()), body: raw });
      expect(response.status).toBe(404);
      const calls = stack.zoom.calls();
      await liveNow(stack);
      expect(stack.zoom.calls()).toBe(calls + 1);
    } finally {
      await stack.close();
    }
  });
});
