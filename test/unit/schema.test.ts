import 'reflect-metadata';
import { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../../src/context';
import { buildGatewaySchema } from '../../src/schema';
import { SessionConnection } from '../../src/sessions/session-connection.type';
import { SessionType } from '../../src/sessions/session-type.enum';
import type { SessionsQuery } from '../../src/sessions/sessions.args';

describe('the built schema', () => {
  it('calls the sessions query method directly, with graphql-js args, not through type-graphql\'s wrapper', async () => {
    const schema = await buildGatewaySchema();
    const resolve = schema.getQueryType()!.getFields().sessions.resolve!;
    const answer = Promise.resolve(new SessionConnection());
    const asked: SessionsQuery[] = [];
    const context = {
      sessions: {
        rules: () => ({ today: '2026-11-27', maxFirst: 300, cursorKey: Buffer.alloc(32) }),
        connection: (query: SessionsQuery) => {
          asked.push(query);
          return answer;
        },
      },
    } as unknown as GatewayContext;
    const args = { type: SessionType.PAST, from: new Date('2026-10-01'), to: new Date('2026-10-31'), first: 5, after: null, sessionKey: null, sessionName: null };
    // The wrapper would hand back a promise of its own, a tick or more later.
    expect(resolve(undefined, args, context, {} as GraphQLResolveInfo)).toBe(answer);
    expect(asked).toEqual([expect.objectContaining({ type: 'past', from: '2026-10-01', to: '2026-10-31', first: 5 })]);
  });

  it('reads plain properties with graphql-js\'s default resolver', async () => {
    const schema = await buildGatewaySchema();
    const session = schema.getType('Session') as GraphQLObjectType;
    // Only the fields that need Zoom's details or participants keep a resolver, besides the global id made
    // from Zoom's and Zoom's id itself, read from the property the classes keep it in (`id`).
    expect(Object.values(session.getFields()).filter((field) => field.resolve !== undefined).map((field) => field.name)).toEqual(['id', 'sessionId', 'sessionNumber', 'createdAt', 'totalMinutes', 'users']);
    expect(session.getFields().sessionId.resolve!({ id: 'zoom-id' }, {}, {}, {} as never)).toBe('zoom-id');
    const user = schema.getType('SessionUser') as GraphQLObjectType;
    expect(Object.values(user.getFields()).filter((field) => field.resolve !== undefined).map((field) => field.name)).toEqual(['id', 'userId', 'qos']);
  });
});
