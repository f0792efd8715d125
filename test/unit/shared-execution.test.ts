import { ExecutionResult, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { CallPayers, ClientQuota } from '../../src/budget/client-quota';
import { MemoryClientQuotaStore } from '../../src/budget/client-quota-store.memory';
import { SubscriberQueue } from '../../src/live/subscriber-queue';
import { EventContextFactory, subscribeShared } from '../../src/transport/shared-execution';

const AT = Date.parse('2026-11-20T10:00:00Z');

/** One field whose value is a Zoom call, charged as a loader's batch is: a tick after the execution began. */
function schemaCharging(): GraphQLSchema {
  const Event = new GraphQLObjectType({
    name: 'Event',
    fields: {
      detail: {
        type: GraphQLString,
        resolve: async (_event, _args, context: { charge: () => Promise<unknown> }) => {
          await new Promise((resolve) => setImmediate(resolve));
          await context.charge();
          return 'from zoom';
        },
      },
    },
  });
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { unused: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: { event: { type: Event, subscribe: (_root, _args, context: { queue: SubscriberQueue<object> }) => context.queue, resolve: (event: object) => event } },
    }),
  });
}

describe('subscribeShared: one execution per event and document, paid by one of the clients it answers', () => {
  it('answers a subscriber that takes the event late from its own quota, not with the refusal of a spent client that took it first', async () => {
    const quota = new ClientQuota(new MemoryClientQuotaStore(() => AT), { perMinute: 5, perDay: 0 });
    // A has spent its minute.
    for (let n = 0; n < 5; n += 1) await quota.take('A');
    const charged: string[] = [];
    const contexts: EventContextFactory = {
      payerOf: (subscriber) => (subscriber as { client: string }).client,
      create: (_subscriber, payers: CallPayers) => ({
        charge: async () => {
          await quota.takeFromAny(payers);
          charged.push([...payers.candidates].find((client) => !payers.refused.has(client)) ?? '?');
        },
      }),
    };
    const schema = schemaCharging();
    const document = parse('subscription { event { detail } }');
    const queues = { A: new SubscriberQueue<object>(10, () => undefined, () => undefined), B: new SubscriberQueue<object>(10, () => undefined, () => undefined) };
    const got: Record<'A' | 'B', ExecutionResult[]> = { A: [], B: [] };
    const start = (client: 'A' | 'B', write: (result: ExecutionResult) => Promise<void>) =>
      subscribeShared({ schema, document, contextValue: { client, queue: queues[client] } }, 'the same document', contexts, { write }) as Promise<AsyncIterator<ExecutionResult>>;
    const a = await start('A', async (result) => void got.A.push(result));
    // B's socket is slow: each write settles 30 ms later, so B takes each event after A's execution ran.
    const b = await start('B', (result) => {
      got.B.push(result);
      return new Promise((resolve) => setTimeout(resolve, 30));
    });
    void a.next();
    void b.next();
    for (const event of [{}, {}]) {
      queues.A.push(event);
      queues.B.push(event);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(got.B.map((result) => result.errors)).toEqual([undefined, undefined]);
    expect(got.B.map((result) => result.data)).toEqual([{ event: { detail: 'from zoom' } }, { event: { detail: 'from zoom' } }]);
    // A, spent, was refused; B paid for every call its answers needed.
    expect(got.A.some((result) => result.errors !== undefined)).toBe(true);
    expect(charged.every((client) => client === 'B')).toBe(true);
    await a.return?.();
    await b.return?.();
  });
});
