import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { stitchSchemas } from '@graphql-tools/stitch';
import { schemaFromExecutor } from '@graphql-tools/wrap';
import {
  GraphQLID,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  graphql,
} from 'graphql';
import { encodeNodeId } from '../../src/sessions/node-id';
import { Stack, startStack } from '../harness';

const noteFor = (id: string) => `note on ${id}`;

/** A schema of the larger graph, next to the gateway: notes on sessions, looked up in batches by Zoom's session id. */
function notesSchema(batches: string[][]): GraphQLSchema {
  const session = new GraphQLObjectType({
    name: 'Session',
    fields: {
      sessionId: { type: new GraphQLNonNull(GraphQLID) },
      notes: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))), resolve: (source: { sessionId: string }) => [noteFor(source.sessionId)] },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        sessionsWithNotes: {
          type: new GraphQLNonNull(new GraphQLList(session)),
          args: { ids: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLID))) } },
          resolve: (_source, { ids }: { ids: string[] }) => {
            batches.push(ids);
            return ids.map((id) => ({ sessionId: id }));
          },
        },
      },
    }),
  });
}

const PAGE = `query Page($after: String) {
  sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: 100, after: $after) {
    edges { cursor node { id sessionId sessionName notes } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface PageData {
  sessions: {
    edges: { cursor: string; node: { id: string; sessionId: string; sessionName: string; notes: string[] } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('the gateway stitched into a larger graph over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('pages through a month via the stitched schema, every session once, in order, with fields from both schemas', async () => {
    const executor = buildHTTPExecutor({ endpoint: stack.url });
    const batches: string[][] = [];
    const stitched = stitchSchemas({
      subschemas: [
        { schema: await schemaFromExecutor(executor), executor },
        {
          schema: notesSchema(batches),
          merge: {
            Session: {
              selectionSet: '{ sessionId }',
              fieldName: 'sessionsWithNotes',
              key: ({ sessionId }: { sessionId: string }) => sessionId,
              argsFromKeys: (ids: readonly string[]) => ({ ids }),
            },
          },
        },
      ],
    });

    const expected = stack.zoom.expectedSessions({ type: 'past', from: '2026-10-01', to: '2026-10-31' });
    const nodes: PageData['sessions']['edges'][number]['node'][] = [];
    let after: string | null = null;
    let pages = 0;
    for (let hasNextPage = true; hasNextPage; pages += 1) {
      const result = await graphql({ schema: stitched, source: PAGE, variableValues: { after } });
      expect(result.errors).toBeUndefined();
      const { edges, pageInfo } = (result.data as unknown as PageData).sessions;
      nodes.push(...edges.map((edge) => edge.node));
      ({ hasNextPage } = pageInfo);
      after = pageInfo.endCursor;
      if (pages > 50) throw new Error('the walk does not end');
    }

    expect(expected.length).toBeGreaterThan(300);
    expect(pages).toBe(Math.ceil(expected.length / 100));
    expect(nodes).toEqual(expected.map((session) => ({ id: encodeNodeId({ type: 'Session', sessionId: session.id }), sessionId: session.id, sessionName: session.session_name, notes: [noteFor(session.id)] })));
    // One batch of notes per page, and the gateway behind the stitch still reads Zoom's pages once.
    expect(batches).toHaveLength(pages);
    expect(stack.zoom.calls()).toBe(Math.ceil(expected.length / 300));
  });
});
