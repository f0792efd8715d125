import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

describe('Relay', () => {
  let stack: Stack;
  let work: string;
  beforeAll(async () => {
    stack = await startStack();
    work = mkdtempSync(join(tmpdir(), 'relay-'));
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
    const committed = JSON.parse(readFileSync(join(relayDir, 'relay.config.json'), 'utf8')) as Record<string, unknown>;
    const artifacts = join(work, '__generated__');
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
    expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toMatchObject({ status: 0 });
    expect(readdirSync(artifacts).sort()).toEqual([
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
    const pagination = readFileSync(join(artifacts, 'SessionsListPaginationQuery.graphql.ts'), 'utf8');
    const text = JSON.parse(/"text": ("(?:[^"\\]|\\.)*")/.exec(pagination)![1]) as string;
    expect(text).toMatch(/pageInfo \{\s*endCursor\s*hasNextPage\s*\}/);
    const expected = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' }).slice(0, 10).map((session) => session.id);
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 2; page += 1) {
      const answer = await stack.post({ query: text, variables: { from: '2026-10-01', to: '2026-10-31', count: 5, cursor } });
      expect(answer.body.errors).toBeUndefined();
      const { sessions } = answer.body.data as { sessions: { edges: { node: { id: string; __typename: string } }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } };
      ids.push(...sessions.edges.map((edge) => edge.node.id));
      expect(sessions.edges.every((edge) => edge.node.__typename === 'Session')).toBe(true);
      expect(sessions.pageInfo.hasNextPage).toBe(true);
      cursor = sessions.pageInfo.endCursor;
    }
    expect(ids).toEqual(expected);
  });
});
