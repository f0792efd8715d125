import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeNodeId } from '../../src/sessions/node-id';
import { Stack, startStack } from '../harness';

const root = join(__dirname, '..', '..');
const relayDir = join(root, 'test', 'relay');
const relayCompiler = join(root, 'node_modules', '.bin', 'relay-compiler');

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}

/** `String!`, `[SessionEdge!]!`, … from an introspection type reference. */
function typeName(ref: TypeRef): string {
  if (ref.kind === 'NON_NULL') return `${typeName(ref.ofType!)}!`;
  if (ref.kind === 'LIST') return `[${typeName(ref.ofType!)}]`;
  return ref.name!;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';

/** The query text relay-compiler wrote into an artifact: what a Relay app sends. */
function artifactText(artifacts: string, name: string): string {
  const source = readFileSync(join(artifacts, `${name}.graphql.ts`), 'utf8');
  return JSON.parse(/"text": ("(?:[^"\\]|\\.)*")/.exec(source)![1]) as string;
}

describe('Relay', () => {
  let stack: Stack;
  let work: string;
  let artifacts: string;
  let compiled: { status: number | null; stderr: string; stdout: string };
  beforeAll(async () => {
    stack = await startStack();
    work = mkdtempSync(join(tmpdir(), 'relay-'));
    const committed = JSON.parse(readFileSync(join(relayDir, 'relay.config.json'), 'utf8')) as Record<string, unknown>;
    artifacts = join(work, '__generated__');
    mkdirSync(artifacts);
    const config = {
      ...committed,
      src: resolve(relayDir, String(committed.src)),
      schema: resolve(relayDir, String(committed.schema)),
      // Artifacts go outside the repository: tsc and git never see them.
      artifactDirectory: artifacts,
    };
    const configFile = join(work, 'relay.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const run = spawnSync(relayCompiler, [configFile, '--noWatchman', '--output', 'quiet-with-errors'], { cwd: work, encoding: 'utf8', timeout: 20_000 });
    compiled = { status: run.status, stderr: run.stderr, stdout: run.stdout };
  });
  afterAll(async () => {
    await stack.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('follows the Cursor Connections Specification, by introspection', async () => {
    const answer = await stack.post({
      query: `{
        query: __type(name: "Query") { fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
        connection: __type(name: "SessionConnection") { fields { name type { ${TYPE_REF} } } }
        edge: __type(name: "SessionEdge") { fields { name type { ${TYPE_REF} } } }
        pageInfo: __type(name: "PageInfo") { fields { name type { ${TYPE_REF} } } }
      }`,
    });
    expect(answer.body.errors).toBeUndefined();
    type Field = { name: string; type: TypeRef; args?: { name: string; type: TypeRef }[] };
    const data = answer.body.data as Record<'query' | 'connection' | 'edge' | 'pageInfo', { fields: Field[] }>;
    const shape = (fields: Field[]) => Object.fromEntries(fields.map((field) => [field.name, typeName(field.type)]));

    const sessions = data.query.fields.find((field) => field.name === 'sessions')!;
    expect(typeName(sessions.type)).toBe('SessionConnection!');
    const args = Object.fromEntries(sessions.args!.map((arg) => [arg.name, typeName(arg.type)]));
    // Forward pagination: `first` a non-negative Int, `after` a String cursor.
    expect(args).toMatchObject({ first: 'Int', after: 'String' });
    expect(args).not.toHaveProperty('last');
    expect(args).not.toHaveProperty('before');

    expect(shape(data.connection.fields)).toMatchObject({ edges: '[SessionEdge!]!', pageInfo: 'PageInfo!' });
    expect(shape(data.edge.fields)).toEqual({ cursor: 'String!', node: 'Session!' });
    // The spec: hasPreviousPage and hasNextPage non-null; startCursor and endCursor null when there are no results.
    expect(shape(data.pageInfo.fields)).toEqual({ hasNextPage: 'Boolean!', hasPreviousPage: 'Boolean!', startCursor: 'String', endCursor: 'String' });
  });

  it('compiles a @connection fragment on sessions against schema.graphql, and its refetch query pages the real gateway', async () => {
    expect(compiled).toMatchObject({ status: 0 });
    expect(readdirSync(artifacts).sort()).toEqual([
      'SessionCardQuery.graphql.ts',
      'SessionCardRefetchQuery.graphql.ts',
      'SessionCardUserRefetchQuery.graphql.ts',
      'SessionCard_session.graphql.ts',
      'SessionCard_user.graphql.ts',
      'SessionsListPaginationQuery.graphql.ts',
      'SessionsListQuery.graphql.ts',
      'SessionsList_query.graphql.ts',
    ]);

    const fragment = readFileSync(join(artifacts, 'SessionsList_query.graphql.ts'), 'utf8');
    expect(fragment).toMatch(/"connection": \[\s*\{\s*"count": "count",\s*"cursor": "cursor",\s*"direction": "forward",\s*"path": /);
    expect(fragment).toMatch(/"refetch": \{\s*"connection": \{\s*"forward": \{\s*"count": "count",\s*"cursor": "cursor"\s*\},\s*"backward": null/);
    expect(fragment).toContain('"name": "__SessionsList_sessions_connection"');
    expect(fragment).toContain('"operation": SessionsListPaginationQuery_graphql');

    // Relay adds what a connection needs (pageInfo, __typename) to the query it sends: the gateway must answer it.
    const text = artifactText(artifacts, 'SessionsListPaginationQuery');
    expect(text).toMatch(/pageInfo \{\s*endCursor\s*hasNextPage\s*\}/);
    const expected = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' }).slice(0, 10).map((session) => session.id);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 2; page += 1) {
      const answer = await stack.post({ query: text, variables: { from: '2026-10-01', to: '2026-10-31', count: 5, cursor } });
      expect(answer.body.errors).toBeUndefined();
      const { sessions } = answer.body.data as { sessions: { edges: { node: { sessionId: string; __typename: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } };
      ids.push(...sessions.edges.map((edge) => edge.node.sessionId));
      expect(sessions.edges.every((edge) => edge.node.__typename === 'Session')).toBe(true);
      expect(sessions.pageInfo.hasNextPage).toBe(true);
      cursor = sessions.pageInfo.endCursor;
    }
    expect(ids).toEqual(expected);
  });

  it('compiles @refetchable fragments on Session and SessionUser: node(id) answers each with the data the lists give', async () => {
    expect(compiled).toMatchObject({ status: 0 });
    for (const name of ['SessionCard_session', 'SessionCard_user']) {
      const fragment = readFileSync(join(artifacts, `${name}.graphql.ts`), 'utf8');
      // Relay refetches a Node by `node(id:)` and reads the id from the `id` field.
      expect(fragment).toMatch(/"refetch": \{[^}]*"fragmentPathInResult": \[\s*"node"\s*\],[^}]*"identifierInfo": \{\s*"identifierField": "id",\s*"identifierQueryVariableName": "id"\s*\}/);
    }
    const refetchSession = artifactText(artifacts, 'SessionCardRefetchQuery');
    const refetchUser = artifactText(artifacts, 'SessionCardUserRefetchQuery');
    expect(refetchSession).toMatch(/node\(id: \$id\)/);

    type User = { id: string; userId: string; name: string };
    type Card = { id: string; sessionId: string; sessionName: string; users: { nodes: User[] } };
    const list = await stack.post({ query: artifactText(artifacts, 'SessionCardQuery'), variables: { from: '2026-10-01', to: '2026-10-31' } });
    expect(list.body.errors).toBeUndefined();
    const cards = (list.body.data as { sessions: { nodes: Card[] } }).sessions.nodes;
    const expected = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' }).slice(0, 2);
    expect(cards.map((card) => card.sessionId)).toEqual(expected.map((session) => session.id));
    const users = cards.flatMap((card) => card.users.nodes);
    expect(users.length).toBeGreaterThan(2);
    // Globally unique: no participant shares an id with another, or with a session, though Zoom's participant ids repeat across sessions.
    expect(new Set([...cards, ...users].map((node) => node.id)).size).toBe(cards.length + users.length);

    for (const card of cards) {
      const { users: _users, ...fields } = card;
      const again = await stack.post({ query: refetchSession, variables: { id: card.id } });
      expect(again.body.errors).toBeUndefined();
      expect((again.body.data as { node: unknown }).node).toEqual({ __typename: 'Session', ...fields });
    }
    for (const user of users) {
      const again = await stack.post({ query: refetchUser, variables: { id: user.id } });
      expect(again.body.errors).toBeUndefined();
      expect((again.body.data as { node: unknown }).node).toEqual({ __typename: 'SessionUser', ...user });
    }

    // `nodes` in the order asked, an id Zoom does not know null; the participant's session list page is shared within the request.
    const unknown = encodeNodeId({ type: 'Session', sessionId: 'no-such-session' });
    const many = await stack.post({
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Session { sessionId } ... on SessionUser { userId } } }',
      variables: { ids: [users[1].id, unknown, cards[0].id] },
    });
    expect(many.body.errors).toBeUndefined();
    expect((many.body.data as { nodes: unknown[] }).nodes).toEqual([
      { __typename: 'SessionUser', id: users[1].id, userId: users[1].userId },
      null,
      { __typename: 'Session', id: cards[0].id, sessionId: cards[0].sessionId },
    ]);
  });

  it('looks up as many sessions as the call limit allows, each one past it failing alone; asked again, those already read cost nothing', async () => {
    // Sessions nothing else here looked up: details are cached across requests, and this test counts Zoom calls.
    const sessions = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' }).slice(20, 28);
    const ids = sessions.map((session) => encodeNodeId({ type: 'Session', sessionId: session.id }));
    const ask = () => stack.post({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { sessionId } } }', variables: { ids } });
    stack.zoom.resetCalls();
    const first = await ask();
    // ZOOM_MAX_CALLS_PER_REQUEST defaults to 6: one details call for each ended session.
    expect((first.body.data as { nodes: ({ sessionId: string } | null)[] }).nodes).toEqual([...sessions.slice(0, 6).map((session) => ({ sessionId: session.id })), null, null]);
    expect(first.body.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.reason])).toEqual([6, 7].map((index) => [['nodes', index], 'ZOOM_RATE_LIMITED', 'CALL_LIMIT']));
    expect(stack.zoom.calls()).toBe(6);
    const second = await ask();
    expect(second.body.errors).toBeUndefined();
    expect((second.body.data as { nodes: unknown[] }).nodes).toEqual(sessions.map((session) => ({ sessionId: session.id })));
    expect(stack.zoom.calls()).toBe(8);
  });

  it('holds lookups to the Heavy call limit too: details are Heavy calls', async () => {
    const heavy = await startStack({ env: { ZOOM_MAX_HEAVY_CALLS_PER_REQUEST: '1' } });
    try {
      const sessions = heavy.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' }).slice(0, 3);
      const ids = sessions.map((session) => encodeNodeId({ type: 'Session', sessionId: session.id }));
      heavy.zoom.resetCalls();
      const answer = await heavy.post({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Session { sessionId } } }', variables: { ids } });
      expect((answer.body.data as { nodes: unknown[] }).nodes).toEqual([{ sessionId: sessions[0].id }, null, null]);
      expect(answer.body.errors?.map((error) => [error.path, error.extensions?.code, error.message])).toEqual(
        [1, 2].map((index) => [['nodes', index], 'ZOOM_RATE_LIMITED', expect.stringContaining('spent its 1 Heavy Zoom calls')]),
      );
      expect(heavy.zoom.calls()).toBe(1);
    } finally {
      await heavy.close();
    }
  });

  it('refuses a malformed global id with BAD_USER_INPUT before any Zoom call', async () => {
    stack.zoom.resetCalls();
    const forged = [
      'not base64url!',
      Buffer.from('["Session",2,"abc"]').toString('base64url'),
      Buffer.from('["SessionUser",1,"scheduled","abc","1","2026-10-01T00:00:00Z"]').toString('base64url'),
      Buffer.from('["Session",1,".."]').toString('base64url'),
      Buffer.from('{"Session":1}').toString('base64url'),
      'A'.repeat(5000),
    ];
    for (const id of forged) {
      const answer = await stack.post({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id } });
      expect(answer.body.errors?.map((error) => [error.extensions?.code, error.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'id']]);
    }
    const listed = await stack.post({ query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: [encodeNodeId({ type: 'Session', sessionId: 'fine' }), 'bad'] } });
    expect(listed.body.errors?.map((error) => [error.extensions?.code, error.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'ids[1]']]);
    expect(stack.zoom.calls()).toBe(0);
  });
});
