import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentNode } from 'graphql';
import { DashboardDailyUsageDocument, DashboardLiveSessionsDocument } from '../../dashboard/src/generated/graphql';
import dashboardManifest from '../../dashboard/src/generated/persisted-documents.json';
import { Stack, onlyError, startStack } from '../harness';
import { initialise, openProtocolClient } from '../live/ws-client';

/** The id the client preset gave the dashboard's daily-usage query, as its production build sends it. */
const DAILY_USAGE_ID = (DashboardDailyUsageDocument as DocumentNode & { __meta__: { hash: string } }).__meta__.hash;
const DAILY_USAGE_HEX = DAILY_USAGE_ID.slice('sha256:'.length);
const DAILY_USAGE_TEXT = (dashboardManifest as Record<string, string>)[DAILY_USAGE_ID];
const MONTH = { from: '2026-10-01', to: '2026-10-31' };
const LIVE_SESSIONS_ID = (DashboardLiveSessionsDocument as DocumentNode & { __meta__: { hash: string } }).__meta__.hash;
/** A subscription in no manifest. */
const ORDINARY_SUBSCRIPTION = 'subscription { liveSessions { id } }';

/** A client's own document, listed in a manifest file. */
const TEAM_TEXT = 'query TeamSessions { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 2) { nodes { id } } }';
const TEAM_ID = `sha256:${createHash('sha256').update(TEAM_TEXT).digest('hex')}`;
/** A document in no manifest, over a month no manifest document asks for: served, it costs Zoom calls. */
const ORDINARY = '{ sessions(type: PAST, from: "2026-09-01", to: "2026-09-30", first: 3) { nodes { id } } }';
const ORDINARY_HEX = createHash('sha256').update(ORDINARY).digest('hex');

const KEY_A = 'team-a-key-0123456789abcdef';
const KEY_B = 'team-b-key-0123456789abcdef';
/** The name the gateway gives a key's client (src/auth/client-auth.ts), as TRUSTED_DOCUMENTS_ENFORCE_CLIENTS takes it. */
const keyIdOf = (key: string): string => `key:${createHash('sha256').update(key).digest('base64url').slice(0, 16)}`;

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  text: string;
}

async function post(stack: Stack, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Answer['body'], text };
}

const apq = (hex: string) => ({ persistedQuery: { version: 1, sha256Hash: hex } });

async function untrustedCount(stack: Stack, outcome: 'served' | 'refused'): Promise<number> {
  const text = await (await fetch(stack.url.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((row) => row.startsWith(`gateway_untrusted_documents_total{outcome="${outcome}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gateway-trusted-'));
  writeFileSync(join(dir, 'team.json'), JSON.stringify({ [TEAM_ID]: TEAM_TEXT }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trusted documents, by default (report)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it("answers the dashboard's documentId, in a POST body and in GET parameters, with the manifest's text", async () => {
    const byId = await post(stack, { documentId: DAILY_USAGE_ID, variables: MONTH });
    expect(byId.status).toBe(200);
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data).toMatchObject({ __typename: 'Query', dailyUsage: expect.arrayContaining([expect.objectContaining({ __typename: 'DailyUsage', date: '2026-10-01' })]) });
    const search = new URLSearchParams({ documentId: DAILY_USAGE_ID, variables: JSON.stringify(MONTH) });
    const byGet = await fetch(`${stack.url}?${search}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(byGet.status).toBe(200);
    expect(await byGet.json()).toEqual(byId.body);
  });

  it("answers the same hash sent as Apollo's persistedQuery extension, with no query", async () => {
    const byHash = await post(stack, { extensions: apq(DAILY_USAGE_HEX), variables: MONTH });
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data).toMatchObject({ dailyUsage: expect.any(Array) });
  });

  it('serves a document outside the manifests and counts it; a manifest text sent as text is not counted', async () => {
    const before = await untrustedCount(stack, 'served');
    const ordinary = await post(stack, { query: ORDINARY });
    expect(ordinary.body.errors).toBeUndefined();
    expect(ordinary.body.data).toEqual({ sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }, { id: expect.any(String) }] } });
    expect(await untrustedCount(stack, 'served')).toBe(before + 1);
    const manifestText = await post(stack, { query: DAILY_USAGE_TEXT, variables: MONTH });
    expect(manifestText.body.errors).toBeUndefined();
    expect(await untrustedCount(stack, 'served')).toBe(before + 1);
  });

  it('answers an unknown documentId with PERSISTED_QUERY_NOT_FOUND, and a malformed one with BAD_REQUEST, at no Zoom call', async () => {
    const unknown = await post(stack, { documentId: `sha256:${ORDINARY_HEX}` });
    expect(unknown.status).toBe(200);
    expect(onlyError(unknown)).toMatchObject({ code: 'PERSISTED_QUERY_NOT_FOUND' });
    const malformed = await post(stack, { documentId: ORDINARY_HEX });
    expect(malformed.status).toBe(400);
    expect(onlyError(malformed)).toMatchObject({ code: 'BAD_REQUEST' });
    expect(stack.zoom.calls()).toBe(0);
  });

  it('keeps automatic persisted queries working: an unknown hash, then the text to register, then the hash alone', async () => {
    const first = await post(stack, { query: ORDINARY.replace('first: 3', 'first: 4'), extensions: apq('0'.repeat(64)) });
    expect(onlyError(first).code).toBe('BAD_REQUEST');
    const text = ORDINARY.replace('first: 3', 'first: 5');
    const hex = createHash('sha256').update(text).digest('hex');
    expect(onlyError(await post(stack, { extensions: apq(hex) })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(stack, { query: text, extensions: apq(hex) })).body.errors).toBeUndefined();
    const again = await post(stack, { extensions: apq(hex) });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data).toMatchObject({ sessions: { nodes: expect.any(Array) } });
  });
});

describe('trusted documents enforced for every client', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { TRUSTED_DOCUMENTS: 'enforce', TRUSTED_DOCUMENTS_FILE: join(dir, 'team.json'), LIMIT_MAX_BATCH: '2' } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it("answers the manifests' documents: the dashboard's and the file's, by id or by their text", async () => {
    expect((await post(stack, { documentId: DAILY_USAGE_ID, variables: MONTH })).body.errors).toBeUndefined();
    const team = await post(stack, { documentId: TEAM_ID });
    expect(team.body).toEqual({ data: { sessions: { nodes: [{ id: expect.any(String) }, { id: expect.any(String) }] } } });
    expect((await post(stack, { query: TEAM_TEXT })).body).toEqual(team.body);
  });

  it('refuses a document outside the manifests with DOCUMENT_NOT_TRUSTED, counted, at no Zoom call', async () => {
    const before = await untrustedCount(stack, 'refused');
    const refused = await post(stack, { query: ORDINARY });
    expect(refused.status).toBe(400);
    expect(onlyError(refused)).toMatchObject({ code: 'DOCUMENT_NOT_TRUSTED' });
    const search = new URLSearchParams({ query: ORDINARY });
    const byGet = await fetch(`${stack.url}?${search}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(byGet.status).toBe(400);
    expect(((await byGet.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('DOCUMENT_NOT_TRUSTED');
    const batch = await post(stack, [{ documentId: TEAM_ID }, { query: ORDINARY }]);
    expect(onlyError(batch)).toMatchObject({ code: 'DOCUMENT_NOT_TRUSTED' });
    expect(await untrustedCount(stack, 'refused')).toBe(before + 3);
    expect(stack.zoom.calls()).toBe(0);
  });

  it('subscribes over WebSocket by documentId (with the empty query graphql-ws requires), and refuses other subscriptions', async () => {
    const client = await openProtocolClient(stack.url);
    await initialise(client);
    client.send({ id: 'trusted', type: 'subscribe', payload: { query: '', documentId: LIVE_SESSIONS_ID } });
    expect(await client.next((message) => message.id === 'trusted')).toMatchObject({ type: 'next', payload: { data: { liveSessions: expect.any(Array) } } });
    client.send({ id: 'other', type: 'subscribe', payload: { query: ORDINARY_SUBSCRIPTION } });
    expect(await client.next((message) => message.id === 'other')).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'DOCUMENT_NOT_TRUSTED' } }] });
    await client.close();
  });

  it("subscribes over Server-Sent Events by Apollo's hash, and refuses other subscriptions", async () => {
    const stream = stack.url.replace(/\/graphql$/, '/graphql/stream');
    const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
    const refused = await fetch(stream, { method: 'POST', headers, body: JSON.stringify({ query: ORDINARY_SUBSCRIPTION }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Answer['body']).errors?.[0]?.extensions?.code).toBe('DOCUMENT_NOT_TRUSTED');
    const abort = new AbortController();
    const trusted = await fetch(stream, { method: 'POST', headers, body: JSON.stringify({ query: '', extensions: apq(LIVE_SESSIONS_ID.slice('sha256:'.length)) }), signal: abort.signal });
    expect(trusted.status).toBe(200);
    const reader = trusted.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('"liveSessions"')) text += (await reader.read()).value ?? '';
    expect(text).toContain('event: next');
    abort.abort();
  });

  it('lets no client register a document through automatic persisted queries', async () => {
    expect(onlyError(await post(stack, { extensions: apq(ORDINARY_HEX) })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(onlyError(await post(stack, { query: ORDINARY, extensions: apq(ORDINARY_HEX) })).code).toBe('DOCUMENT_NOT_TRUSTED');
    expect(onlyError(await post(stack, { extensions: apq(ORDINARY_HEX) })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(stack.zoom.calls()).toBe(0);
  });
});

describe('trusted documents enforced for one client while another is still served', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { GATEWAY_API_KEYS: `${KEY_A},${KEY_B}`, TRUSTED_DOCUMENTS_FILE: join(dir, 'team.json'), TRUSTED_DOCUMENTS_ENFORCE_CLIENTS: keyIdOf(KEY_A) } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.zoom.resetCalls());

  it('refuses the enforced key a document outside the manifests, at no Zoom call, and serves it its own', async () => {
    const refused = await post(stack, { query: ORDINARY }, { 'x-api-key': KEY_A });
    expect(onlyError(refused)).toMatchObject({ code: 'DOCUMENT_NOT_TRUSTED' });
    expect(stack.zoom.calls()).toBe(0);
    expect((await post(stack, { documentId: TEAM_ID }, { 'x-api-key': KEY_A })).body.errors).toBeUndefined();
  });

  it('serves the other key the same document, and counts it', async () => {
    const before = await untrustedCount(stack, 'served');
    const served = await post(stack, { query: ORDINARY }, { 'x-api-key': KEY_B });
    expect(served.body.errors).toBeUndefined();
    expect(stack.zoom.calls()).toBeGreaterThan(0);
    expect(await untrustedCount(stack, 'served')).toBe(before + 1);
  });

  it("does not run for the enforced key a document the other key registered as an automatic persisted query", async () => {
    const text = ORDINARY.replace('first: 3', 'first: 6');
    const hex = createHash('sha256').update(text).digest('hex');
    expect((await post(stack, { query: text, extensions: apq(hex) }, { 'x-api-key': KEY_B })).body.errors).toBeUndefined();
    expect((await post(stack, { extensions: apq(hex) }, { 'x-api-key': KEY_B })).body.errors).toBeUndefined();
    stack.zoom.resetCalls();
    expect(onlyError(await post(stack, { extensions: apq(hex) }, { 'x-api-key': KEY_A })).code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(stack.zoom.calls()).toBe(0);
  });
});
