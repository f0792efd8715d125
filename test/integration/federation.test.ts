import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { buildASTSchema, isObjectType, parse, print } from 'graphql';
import gql from 'graphql-tag';
import { FEDERATION_SPEC_URL } from '../../src/federation/subgraph-schema';
import type { SimSession } from '../../src/simulator/simulator';
import { Stack, startStack } from '../harness';

/** A second subgraph, as another team would write it: notes on sessions, keyed by Zoom's session id (`sessionId`). */
const notesTypeDefs = gql`
  extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key", "@shareable"])

  type Session @key(fields: "sessionId") {
    sessionId: ID!
    notes: [String!]!
  }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type NotePage {
    notes: [String!]!
    pageInfo: PageInfo!
  }

  type Query {
    sessionNotes(id: ID!): Session
    latestNotes: NotePage!
  }
`;

const noteFor = (id: string) => `note on ${id}`;

const notesSchema = buildSubgraphSchema({
  typeDefs: notesTypeDefs,
  resolvers: {
    Query: {
      sessionNotes: (_: unknown, { id }: { id: string }) => ({ sessionId: id }),
      latestNotes: () => ({ notes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } }),
    },
    Session: {
      __resolveReference: (reference: { sessionId: string }) => ({ sessionId: reference.sessionId }),
      notes: (session: { sessionId: string }) => [noteFor(session.sessionId)],
    },
  } as never,
});

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Session { sessionId sessionName startTime endTime } }
}`;

interface EntitiesBody {
  data?: { _entities: ({ sessionId: string; sessionName: string; startTime: string; endTime: string | null } | null)[] };
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

describe('the gateway as an Apollo Federation 2 subgraph', () => {
  let stack: Stack;
  let notes: ApolloServer;
  let notesUrl: string;
  beforeAll(async () => {
    stack = await startStack({ env: { FEDERATION_SUBGRAPH: 'true' } });
    notes = new ApolloServer({ schema: notesSchema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
    ({ url: notesUrl } = await startStandaloneServer(notes, { listen: { host: '127.0.0.1', port: 0 } }));
  });
  afterAll(async () => {
    await notes.stop();
    await stack.close();
  });
  beforeEach(() => stack.zoom.resetCalls());

  const ended = (test: (session: SimSession) => boolean) => {
    const session = stack.zoom.sessions.find((candidate) => candidate.end_time && test(candidate));
    if (!session) throw new Error('the dataset lacks the session this test needs');
    return session;
  };
  const sessionsSdl = async (): Promise<string> => {
    const answer = await stack.post({ query: '{ _service { sdl } }' });
    return (answer.body.data as { _service: { sdl: string } })._service.sdl;
  };
  const entities = async (representations: unknown[]): Promise<EntitiesBody> =>
    (await stack.post({ query: ENTITIES, variables: { representations } })).body as EntitiesBody;

  it('serves the public schema plus _service and _entities, with Session keyed by its Zoom id and by its global id', async () => {
    const sdl = await sessionsSdl();
    expect(sdl).toContain(`@link(url: "${FEDERATION_SPEC_URL}"`);
    expect(sdl).toMatch(/type Session implements Node\s+@key\(fields: "sessionId"\)\s+@key\(fields: "id"\)\s*\{/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable\s*\{/);
    expect(sdl).toContain('sessions(');
    const answer = await stack.post({ query: '{ __schema { queryType { fields { name } } } _Entity: __type(name: "_Entity") { possibleTypes { name } } }' });
    const data = answer.body.data as { __schema: { queryType: { fields: { name: string }[] } }; _Entity: { possibleTypes: { name: string }[] } };
    expect(data.__schema.queryType.fields.map((field) => field.name).sort()).toEqual(['_entities', '_service', 'dailyUsage', 'node', 'nodes', 'session', 'sessions']);
    expect(data._Entity.possibleTypes).toEqual([{ name: 'Session' }]);
  });

  it('looks sessions up by id: past first, live on 404, unknown ids null, repeated ids once, / ids encoded twice', async () => {
    const slashed = ended((session) => session.id.startsWith('/'));
    const plain = ended((session) => !session.id.startsWith('/') && !session.id.includes('//'));
    const live = stack.zoom.sessions.find((session) => !session.end_time)!;
    const body = await entities([
      { __typename: 'Session', sessionId: slashed.id },
      { __typename: 'Session', sessionId: 'nope' },
      { __typename: 'Session', sessionId: live.id },
      { __typename: 'Session', sessionId: slashed.id },
      { __typename: 'Session', sessionId: plain.id },
    ]);
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities).toEqual([
      { sessionId: slashed.id, sessionName: slashed.session_name, startTime: new Date(slashed.start_time).toISOString(), endTime: new Date(slashed.end_time!).toISOString() },
      null,
      { sessionId: live.id, sessionName: live.session_name, startTime: new Date(live.start_time).toISOString(), endTime: null },
      { sessionId: slashed.id, sessionName: slashed.session_name, startTime: new Date(slashed.start_time).toISOString(), endTime: new Date(slashed.end_time!).toISOString() },
      expect.objectContaining({ sessionId: plain.id, sessionName: plain.session_name }),
    ]);
    const calls = stack.zoom.callLog().map((call) => `${call.path}?type=${call.query.type} ${call.status}`);
    const path = (id: string, encode: (value: string) => string) => `/v2/videosdk/sessions/${encode(id)}`;
    const twice = (id: string) => encodeURIComponent(encodeURIComponent(id));
    expect(path(slashed.id, twice)).toContain('%252F');
    expect(calls.sort()).toEqual(
      [
        `${path(slashed.id, twice)}?type=past 200`,
        `${path('nope', encodeURIComponent)}?type=past 404`,
        `${path('nope', encodeURIComponent)}?type=live 404`,
        `${path(live.id, live.id.startsWith('/') || live.id.includes('//') ? twice : encodeURIComponent)}?type=past 404`,
        `${path(live.id, live.id.startsWith('/') || live.id.includes('//') ? twice : encodeURIComponent)}?type=live 200`,
        `${path(plain.id, encodeURIComponent)}?type=past 200`,
      ].sort(),
    );
  });

  it('looks a session up by its global id as well; a representation whose `id` names no session fails alone, before any Zoom call', async () => {
    const listed = await stack.post({ query: '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 1) { nodes { id sessionId sessionName } } }' });
    const [session] = (listed.body.data as { sessions: { nodes: { id: string; sessionId: string; sessionName: string }[] } }).sessions.nodes;
    stack.zoom.resetCalls();
    const body = await entities([{ __typename: 'Session', id: 'not-a-global-id' }]);
    expect(body.data!._entities).toEqual([null]);
    expect(body.errors!.map((error) => [error.path, error.extensions?.code])).toEqual([[['_entities', 0], 'BAD_USER_INPUT']]);
    expect(stack.zoom.calls()).toBe(0);
    const found = await entities([{ __typename: 'Session', id: session.id }]);
    expect(found.errors).toBeUndefined();
    expect(found.data!._entities).toEqual([expect.objectContaining({ sessionId: session.sessionId, sessionName: session.sessionName })]);
  });

  it('refuses representations whose id would leave the details path (`.` is List sessions), before any Zoom call', async () => {
    const ids = ['.', '..', '%2e%2e'];
    const body = await entities(ids.map((id) => ({ __typename: 'Session', sessionId: id })));
    expect(body.data!._entities).toEqual([null, null, null]);
    expect(body.errors!.map((error) => [error.path, error.extensions?.code])).toEqual(ids.map((_id, index) => [['_entities', index], 'BAD_USER_INPUT']));
    expect(stack.zoom.calls()).toBe(0);
  });

  it('spends the request\'s Zoom call cap on lookups; past it, each remaining one fails alone with ZOOM_RATE_LIMITED', async () => {
    // Sessions no other test looked up: details are cached across requests, and this test counts Zoom calls.
    const past = stack.zoom.sessions.filter((session) => session.end_time && !session.id.startsWith('/')).slice(10, 18);
    const body = await entities(past.map((session) => ({ __typename: 'Session', sessionId: session.id })));
    // ZOOM_MAX_CALLS_PER_REQUEST defaults to 6.
    expect(body.data!._entities.map((entity) => entity?.sessionId ?? null)).toEqual([...past.slice(0, 6).map((session) => session.id), null, null]);
    expect(body.errors).toHaveLength(2);
    for (const [index, error] of body.errors!.entries()) {
      expect(error.path).toEqual(['_entities', 6 + index]);
      expect(error.extensions).toEqual({ code: 'ZOOM_RATE_LIMITED', reason: 'CALL_LIMIT', retryAfter: expect.any(Number), retryAfterSeconds: error.extensions!.retryAfter });
      expect(error.extensions!.retryAfter).toBeGreaterThanOrEqual(1);
    }
    expect(stack.zoom.calls()).toBe(6);
  });

  it('keeps the public query as it is: `type` still defaults to LIVE', async () => {
    const answer = await stack.post({ query: '{ sessions(from: "2026-11-26", to: "2026-11-27", first: 2) { nodes { id } } }' });
    expect(answer.body.errors).toBeUndefined();
    expect(stack.zoom.callLog()[0].query.type).toBe('live');
  });

  it('states its prices to the router: @cost and @listSize survive composition, and the subgraph charges what they say', async () => {
    const { supergraphSdl, errors } = composeServices([
      { name: 'sessions', typeDefs: parse(await sessionsSdl()), url: stack.url },
      { name: 'notes', typeDefs: notesTypeDefs, url: notesUrl },
    ]);
    expect(errors).toBeUndefined();
    const supergraph = buildASTSchema(parse(supergraphSdl!));
    const applied = (typeName: string, fieldName: string): string[] => {
      const type = supergraph.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
      return (type.getFields()[fieldName].astNode?.directives ?? []).filter((directive) => !directive.name.value.startsWith('join__')).map((directive) => print(directive));
    };
    const connectionSize = '@listSize(assumedSize: 30, slicingArguments: ["first"], sizedFields: ["edges", "nodes"], requireOneSlicingArgument: false)';
    expect(applied('Query', 'sessions')).toEqual(['@cost(weight: 1)', connectionSize]);
    expect(applied('Query', 'session')).toEqual(['@cost(weight: 1)']);
    expect(applied('Query', 'dailyUsage')).toEqual(['@cost(weight: 1)']);
    expect(applied('Session', 'users')).toEqual(['@cost(weight: 1)', connectionSize]);
    expect(applied('SessionUser', 'qos')).toEqual(['@cost(weight: 1)']);

    // The subgraph prices with the directives of the schema it serves: asked, it says so in `extensions.cost`.
    const answer = await stack.post({
      query: '{ sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 3) { nodes { sessionNumber users(first: 5) { nodes { qos { worstLossPercent } } } } } }',
      extensions: { cost: true },
    });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.extensions?.cost).toEqual({ estimated: { cost: 1, heavyCost: 3 * (1 + 1 + 1) }, max: { cost: 20, heavyCost: 100 }, zoomCalls: expect.any(Number) });
  });

  it('composes with a second subgraph and answers queries across both through an Apollo gateway', async () => {
    const { supergraphSdl, errors } = composeServices([
      { name: 'sessions', typeDefs: parse(await sessionsSdl()), url: stack.url },
      { name: 'notes', typeDefs: notesTypeDefs, url: notesUrl },
    ]);
    expect(errors).toBeUndefined();
    const router = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: supergraphSdl!, buildService: ({ url }) => new RemoteGraphQLDataSource({ url }) }),
    });
    await router.start();
    try {
      const run = async (query: string) => {
        const response = await router.executeOperation({ query });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        return response.body.singleResult;
      };
      const october = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' }).slice(0, 5);
      const page = await run(`{
        sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 5) {
          edges { cursor node { sessionId sessionName notes } }
          pageInfo { hasNextPage endCursor }
        }
        latestNotes { pageInfo { hasNextPage } }
      }`);
      expect(page.errors).toBeUndefined();
      const data = page.data as { sessions: { edges: { node: { sessionId: string; sessionName: string; notes: string[] } }[]; pageInfo: { hasNextPage: boolean } } };
      expect(data.sessions.edges.map((edge) => edge.node)).toEqual(
        october.map((session) => ({ sessionId: session.id, sessionName: session.session_name, notes: [noteFor(session.id)] })),
      );
      expect(data.sessions.pageInfo.hasNextPage).toBe(true);

      // The other way round: the notes subgraph names a session, the gateway's `_entities` fills it in.
      // Not the session the lookup test used: its details are in the shared cache by now.
      const slashed = stack.zoom.sessions.filter((session) => session.end_time && session.id.startsWith('/'))[1];
      stack.zoom.resetCalls();
      const byId = await run(`{ sessionNotes(id: ${JSON.stringify(slashed.id)}) { sessionId notes sessionName userCount } }`);
      expect(byId.errors).toBeUndefined();
      expect(byId.data).toEqual({
        sessionNotes: { sessionId: slashed.id, notes: [noteFor(slashed.id)], sessionName: slashed.session_name, userCount: slashed.user_count },
      });
      expect(stack.zoom.callLog().map((call) => call.path)).toEqual([`/v2/videosdk/sessions/${encodeURIComponent(encodeURIComponent(slashed.id))}`]);
    } finally {
      await router.stop();
    }
  });
});
