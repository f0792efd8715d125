import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { postWebhook, ZoomWebhookBody } from '../../src/simulator/webhooks';
import { GatewayProcess, startGatewayProcess } from '../services/gateway-process';

/**
 * Every example in README.md, run as a newcomer runs it: against `src/main.ts` started as `npm start` starts it (no
 * Zoom credentials, so the built-in simulator; anonymous access), the shell examples through a real shell and curl
 * with nothing changed but the port, the GraphQL documents over HTTP and graphql-ws, the client recipes through
 * relay-compiler, Apollo Client and graphql-tools. An example this file does not know fails the suite, so a new one
 * cannot go unrun; one that no longer gives what the README says beside it fails too.
 */

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** The test's own signature secret, so that it can post Zoom's webhooks as the simulator does. */
const WEBHOOK_SECRET = 'readme-examples-webhook-secret';

interface Example {
  readonly language: string;
  readonly line: number;
  readonly text: string;
}

/** Fenced blocks, those inside list items (indented) included, dedented. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const fence = /^( *)```(\w*)\n([\s\S]*?)^\1```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const indent = match[1].length;
    const text = match[3].split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
    found.push({ language: match[2], line: markdown.slice(0, match.index).split('\n').length, text: text.trim() });
  }
  return found;
}

/** The block that starts with `start`; exactly one must. */
function example(start: string): Example {
  const matching = examples(readme).filter((block) => block.text.startsWith(start));
  if (matching.length !== 1) throw new Error(`README.md has ${matching.length} examples starting "${start}"`);
  return matching[0];
}

/** The README's address, pointed at this test's gateway. */
function onPort(text: string, url: string): string {
  return text.replaceAll('localhost:4000', new URL(url).host);
}

/** The first and last day of the month before today's (UTC), as the README suggests for `from`/`to`. */
function lastMonth(now: Date): { from: string; to: string; days: number } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10), days: last.getUTCDate() };
}

async function sh(command: string): Promise<string> {
  const run = spawnSync('sh', ['-c', command], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`${command}\nexited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** Runs a TypeScript module (top-level await allowed) with the repository's packages; its stdout. */
function runModule(dir: string, source: string): string {
  const file = join(dir, `recipe-${readdirSync(dir).length}.mts`);
  writeFileSync(file, source);
  const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`${source}\nexited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('README examples, run against the gateway as `npm start` starts it', () => {
  let gateway: GatewayProcess;
  let work: string;
  let webhookSeq = 0;
  const post = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer<T>;
  };
  /** A signed webhook as Zoom sends it, for a session of this test's own. */
  const webhook = async (event: string, object: Record<string, unknown>): Promise<void> => {
    const body: ZoomWebhookBody = { event, event_ts: Date.now() + ++webhookSeq, payload: { account_id: 'readme', object } };
    expect(await postWebhook(gateway.url.replace('/graphql', '/webhooks/zoom'), WEBHOOK_SECRET, body)).toBe(200);
  };

  beforeAll(async () => {
    // What a fresh clone's `npm start` has, but a free port and the test's webhook secret.
    gateway = await startGatewayProcess({ PORT: '0', ZOOM_WEBHOOK_SECRET_TOKEN: WEBHOOK_SECRET, LOG_FORMAT: 'json' });
    // Inside the repository, so that the recipes resolve its packages; ignored by git.
    mkdirSync(join(root, 'test-results'), { recursive: true });
    work = mkdtempSync(join(root, 'test-results', 'readme-'));
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('knows every example in the README', () => {
    const known = [
      'npm ci && npm start',
      'query LastMonth',
      "curl -s localhost:4000/graphql -H 'content-type: application/json'",
      'query Dashboard',
      'import { InMemoryCache }',
      'fragment SessionsList_query',
      'const executor = buildHTTPExecutor',
      'subscription { sessionEvents(types: [SESSION_STARTED, SESSION_ENDED])',
      'curl -N http://localhost:4000/graphql/stream',
    ];
    const unknown = examples(readme).filter((block) => !known.some((start) => block.text.startsWith(start)));
    expect(unknown.map((block) => `README.md:${block.line}: ${block.text.split('\n')[0]}`)).toEqual([]);
    // The first screen's two commands are the ones CI runs (npm test) and this file stands in for (npm start).
    expect(example('npm ci && npm start').text).toMatch(/^npm ci && npm start .*\nnpm ci && npm test /);
  });

  it('"Example query": LastMonth lists 20 ended sessions with every field, and its endCursor gives the next 20', async () => {
    type Page = { sessions: { edges: { cursor: string; node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const query = example('query LastMonth').text;
    const first = await post<Page>(query);
    expect(first.errors).toBeUndefined();
    const edges = first.data!.sessions.edges;
    expect(edges).toHaveLength(20);
    for (const { cursor, node } of edges) {
      expect(cursor).toEqual(expect.any(String));
      expect(node).toEqual({
        id: expect.any(String), sessionName: expect.any(String), startTime: expect.any(String), endTime: expect.any(String),
        duration: expect.stringMatching(/^(\d\d:)?\d\d:\d\d$/), durationSeconds: expect.any(Number), userCount: expect.any(Number), hasRecording: expect.any(Boolean),
      });
    }
    expect(first.data!.sessions.pageInfo.hasNextPage).toBe(true);
    const second = await post<Page>(query, { after: first.data!.sessions.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data!.sessions.edges).toHaveLength(20);
    const ids = new Set([...edges, ...second.data!.sessions.edges].map((edge) => edge.node.id));
    expect(ids.size).toBe(40);
  }, 60_000);

  it('"Example query" from a shell: curl lists the sessions running now', async () => {
    const stdout = await sh(onPort(example("curl -s localhost:4000/graphql -H 'content-type: application/json'").text, gateway.url));
    const answer = JSON.parse(stdout) as Answer<{ sessions: { nodes: { id: string; sessionName: string; startTime: string; userCount: number }[] } }>;
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.sessions.nodes;
    // The simulator starts with sessions live (they end within its first 40 minutes).
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node).toEqual({ id: expect.any(String), sessionName: expect.any(String), startTime: expect.any(String), userCount: expect.any(Number) });
      expect(Date.parse(node.startTime)).toBeLessThanOrEqual(Date.now());
    }
  }, 60_000);

  it('"Inside a session": Dashboard, with a sessionId from a sessions query and last month\'s first and last day', async () => {
    const some = await post<{ sessions: { nodes: { sessionId: string }[] } }>('{ sessions(type: PAST, first: 1) { nodes { sessionId } } }');
    const id = some.data!.sessions.nodes[0].sessionId;
    const month = lastMonth(new Date());
    type Data = {
      sessions: { nodes: { sessionId: string; sessionNumber: string; createdAt: string; totalMinutes: number; users: { nodes: { name: string; qos: { samples: unknown[] } | null }[] } }[] };
      session: { sessionNumber: string; users: { nodes: { name: string }[] } } | null;
      dailyUsage: { date: string; sessions: number; users: number; sessionMinutes: number }[];
    };
    const answer = await post<Data>(example('query Dashboard').text, { id, ...month });
    expect(answer.errors).toBeUndefined();
    const sessions = answer.data!.sessions.nodes;
    expect(sessions).toHaveLength(30);
    for (const session of sessions) {
      expect(session.sessionNumber).toMatch(/^\d+$/);
      expect(Date.parse(session.createdAt)).not.toBeNaN();
      expect(session.totalMinutes).toEqual(expect.any(Number));
      expect(session.users.nodes.length).toBeGreaterThan(0);
    }
    const samples = sessions.flatMap((session) => session.users.nodes.flatMap((user) => user.qos?.samples ?? []));
    expect(samples.length).toBeGreaterThan(0);
    expect(answer.data!.session?.sessionNumber).toMatch(/^\d+$/);
    expect(answer.data!.session!.users.nodes.length).toBeGreaterThan(0);
    const days = answer.data!.dailyUsage;
    expect(days).toHaveLength(month.days);
    expect(days[0].date).toBe(month.from);
    expect(days.reduce((sum, day) => sum + day.sessions, 0)).toBeGreaterThan(0);
  }, 90_000);

  it('"Live sessions": the subscription over graphql-ws gets a webhook\'s start and end with the session\'s name', async () => {
    const client = createClient({ url: gateway.url.replace('http:', 'ws:'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    const sessionId = 'readme-ws-session';
    const events: { type: string; sessionId: string; session: { sessionName: string } | null }[] = [];
    let seen: () => void = () => undefined;
    const both = new Promise<void>((resolve) => (seen = resolve));
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ sessionEvents: (typeof events)[number] }>(
        { query: example('subscription { sessionEvents(types: [SESSION_STARTED, SESSION_ENDED])').text },
        {
          next: (result) => {
            const event = result.data?.sessionEvents;
            if (event?.sessionId !== sessionId) return; // the simulator's own sessions come and go too
            events.push(event);
            if (events.length === 2) seen();
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    try {
      await new Promise<void>((resolve) => client.on('connected', () => resolve()));
      // A subscription is registered a moment after the socket is acknowledged: repeat the start until it is seen.
      const started = { id: sessionId, session_id: sessionId, session_name: 'README example', start_time: new Date().toISOString() };
      for (let attempt = 0; attempt < 50 && events.length === 0; attempt++) {
        await webhook('session.started', { ...started });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await webhook('session.ended', { ...started, end_time: new Date().toISOString() });
      await both;
      expect(events.map((event) => [event.type, event.session?.sessionName])).toEqual([
        ['SESSION_STARTED', 'README example'],
        ['SESSION_ENDED', 'README example'],
      ]);
    } finally {
      await client.dispose();
      await done.catch(() => undefined);
    }
  }, 30_000);

  it('"Live sessions": curl -N subscribes over Server-Sent Events and receives the webhook flow', async () => {
    const command = onPort(example('curl -N http://localhost:4000/graphql/stream').text, gateway.url);
    const curl = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stream = '';
    curl.stdout.on('data', (chunk: Buffer) => (stream += chunk.toString()));
    try {
      const sessionId = 'readme-sse-session';
      const session = { id: sessionId, session_id: sessionId, session_name: 'README SSE example', start_time: new Date().toISOString() };
      // Until curl's stream is registered, an event reaches no one: keep the flow going until one arrives.
      const deadline = Date.now() + 15_000;
      let joins = 0;
      while (!stream.includes('"name":"Ada"') && Date.now() < deadline) {
        joins++;
        await webhook('session.user_joined', { ...session, user: { id: `u${joins}`, name: 'Ada', participant_uuid: `p-${joins}`, join_time: new Date().toISOString() } });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const next = /event: next\ndata: (.+)\n/.exec(stream);
      expect(next).not.toBeNull();
      const data = JSON.parse(next![1]) as Answer<{ sessionEvents: { type: string; sessionId: string; occurredAt: string; user: { name: string } | null } }>;
      expect(data.data?.sessionEvents).toEqual({ type: 'USER_JOINED', sessionId, occurredAt: expect.any(String), user: { name: 'Ada' } });
    } finally {
      curl.kill();
    }
  }, 30_000);

  it('"Relay": the README\'s fragment compiles with relay-compiler and its refetch query pages the gateway', async () => {
    const src = join(work, 'relay-src');
    const artifacts = join(work, 'relay-generated');
    mkdirSync(src);
    mkdirSync(artifacts);
    writeFileSync(join(src, 'readme.ts'), `declare function graphql(strings: TemplateStringsArray): unknown;\nexport const fragment = graphql\`\n${example('fragment SessionsList_query').text}\n\`;\n`);
    const config = join(work, 'relay.config.json');
    writeFileSync(config, JSON.stringify({
      src, schema: join(root, 'schema.graphql'), language: 'typescript', artifactDirectory: artifacts,
      customScalarTypes: { Date: 'string', DateTime: 'string' },
    }));
    const run = spawnSync(join(root, 'node_modules', '.bin', 'relay-compiler'), [config, '--noWatchman', '--output', 'quiet-with-errors'], { cwd: work, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr + run.stdout).toBe('');
    expect(run.status).toBe(0);
    const source = readFileSync(join(artifacts, 'SessionsListPaginationQuery.graphql.ts'), 'utf8');
    const text = JSON.parse(/"text": ("(?:[^"\\]|\\.)*")/.exec(source)![1]) as string;
    const month = lastMonth(new Date());
    const answer = await post<{ sessions: { edges: { node: { id: string; sessionName: string } }[] } }>(text, { from: month.from, to: month.to, count: 30 });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.sessions.edges).toHaveLength(30);
  }, 60_000);

  it('"Apollo Client": the README\'s type policy merges a page and the next one into one list', () => {
    const recipe = example('import { InMemoryCache }').text;
    const stdout = runModule(work, `${recipe}
import { ApolloClient, HttpLink, gql } from '@apollo/client';
const client = new ApolloClient({ cache, link: new HttpLink({ uri: ${JSON.stringify(gateway.url)} }) });
const query = gql\`query Page($after: String) { sessions(type: PAST, first: 5, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }\`;
const first = await client.query({ query });
const watched = client.watchQuery({ query });
const watching = watched.subscribe({});
await watched.fetchMore({ variables: { after: first.data.sessions.pageInfo.endCursor } });
watching.unsubscribe();
const merged = client.readQuery({ query });
console.log(JSON.stringify(merged.sessions.edges.map((edge) => edge.node.id)));
`);
    const ids = JSON.parse(stdout.trim().split('\n').pop()!) as string[];
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  }, 90_000);

  it('"Schema stitching": the README\'s two lines stitch the gateway beside a local schema', () => {
    const recipe = example('const executor = buildHTTPExecutor').text.replace('https://sessions.example/graphql', gateway.url);
    const stdout = runModule(work, `import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { stitchSchemas } from '@graphql-tools/stitch';
import { schemaFromExecutor } from '@graphql-tools/wrap';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
const KEY = 'any key: the gateway is anonymous here';
const localSchema = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { team: { type: GraphQLString, resolve: () => 'frontend' } } }) });
${recipe}
const result = await graphql({ schema: gateway, source: '{ team sessions(type: PAST, first: 3) { nodes { sessionId sessionName } } }' });
console.log(JSON.stringify(result));
`);
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as Answer<{ team: string; sessions: { nodes: { sessionId: string }[] } }>;
    expect(result.errors).toBeUndefined();
    expect(result.data!.team).toBe('frontend');
    expect(result.data!.sessions.nodes).toHaveLength(3);
  }, 90_000);
});
