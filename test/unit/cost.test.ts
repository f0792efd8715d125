import { GraphQLSchema, Kind, OperationDefinitionNode, buildSchema, parse } from 'graphql';
import { loadConfig } from '../../src/config';
import { UNKNOWN_RANGE_WINDOWS, operationCost, sessionsFieldCost, windowCount } from '../../src/query-limits/cost.plugin';
import { CostRules, FieldPrices, readFieldPrices } from '../../src/query-limits/field-prices';
import { heavyOperationCost } from '../../src/query-limits/heavy-cost';
import { effectiveVariables } from '../../src/query-limits/operation-variables';
import { encodeNodeId } from '../../src/sessions/node-id';
import { buildGatewaySchema } from '../../src/schema';
import { MAX_TRACKED_SESSIONS } from '../../src/live/live-state';

const TODAY = '2026-11-27';

/** The prices the running gateway charges: read from the schema's `@cost` and `@listSize`, as the server reads them. */
let prices: FieldPrices;
beforeAll(async () => {
  prices = readFieldPrices(await buildGatewaySchema());
});
const rules = (maxFirst: number): CostRules => ({ prices, maxFirst });

describe('the cost model', () => {
  it('counts the month windows the reader would walk, cut to Zoom\'s history and to today', () => {
    expect(windowCount('2026-10-01', '2026-10-31', TODAY)).toBe(1);
    expect(windowCount('2026-10-15', '2026-11-14', TODAY)).toBe(1);
    expect(windowCount('2026-07-01', '2026-11-30', TODAY)).toBe(5);
    expect(windowCount('2026-10-01', '2028-12-31', TODAY)).toBe(2);
    expect(windowCount('1000-01-01', '9999-12-31', TODAY)).toBe(7);
    expect(windowCount('2027-01-01', '2027-01-31', TODAY)).toBe(1);
  });

  it('prices bounds left out as the resolver fills them in: `to` today, `from` a month before `to`', () => {
    expect(windowCount(undefined, undefined, TODAY)).toBe(1);
    expect(windowCount(null, null, TODAY)).toBe(1);
    expect(windowCount(undefined, '2026-10-31', TODAY)).toBe(1);
    expect(windowCount('2026-10-28', undefined, TODAY)).toBe(1);
    expect(windowCount('2026-10-27', undefined, TODAY)).toBe(2);
    expect(windowCount('2026-06-01', undefined, TODAY)).toBe(6);
    expect(sessionsFieldCost(undefined, undefined, 300, rules(300), TODAY)).toBe(1);
  });

  it('prices what it cannot read as the longest range', () => {
    expect(windowCount('2026-10-01', 20261031, TODAY)).toBe(UNKNOWN_RANGE_WINDOWS);
    expect(windowCount('2026-02-30', '2026-03-01', TODAY)).toBe(UNKNOWN_RANGE_WINDOWS);
    expect(windowCount(20261001, '2026-10-31', TODAY)).toBe(UNKNOWN_RANGE_WINDOWS);
  });

  it('weighs a sessions field by windows times the 300-session pages first may span', () => {
    expect(sessionsFieldCost('2026-10-01', '2026-10-31', 30, rules(300), TODAY)).toBe(1);
    expect(sessionsFieldCost('2026-07-01', '2026-11-27', 300, rules(300), TODAY)).toBe(5);
    expect(sessionsFieldCost('2026-10-01', '2026-10-31', 600, rules(1000), TODAY)).toBe(2);
    // Out of range `first` is the resolver's to refuse with BAD_USER_INPUT, not the cost model's.
    expect(sessionsFieldCost('2026-10-01', '2026-10-31', 99_999_999, rules(300), TODAY)).toBe(1);
  });
});

describe('operationCost', () => {
  const cost = (source: string, variables: Record<string, unknown> = {}): number => {
    const document = parse(source);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
    return operationCost(document, operation, variables, rules(1000), TODAY);
  };

  it('sums the sessions fields, inline fragments and named fragments as many times as they are spread', () => {
    expect(cost('{ sessions(from: "2026-10-01", to: "2026-10-31") { nodes { id } } }')).toBe(1);
    expect(cost('{ a: sessions(from: "2026-07-01", to: "2026-11-27") { nodes { id } } ... on Query { b: sessions(from: "2026-10-01", to: "2026-10-31", first: 250) { nodes { id } } } }')).toBe(6);
    expect(cost('{ ...F ...F } fragment F on Query { ...G ...G ...G } fragment G on Query { sessions(from: "2026-10-01", to: "2026-10-31") { nodes { id } } }')).toBe(6);
    expect(cost('{ __typename }')).toBe(0);
  });

  it('prices the same document afresh for each request\'s variables', () => {
    const source = 'query($from: Date!, $to: Date!, $first: Int) { sessions(from: $from, to: $to, first: $first) { nodes { id } } }';
    expect(cost(source, { from: '2026-10-01', to: '2026-10-31', first: 30 })).toBe(1);
    expect(cost(source, { from: '2026-06-01', to: '2026-11-27', first: 300 })).toBe(6);
    expect(cost(source, { from: '2026-10-01', to: '2026-10-31', first: 900 })).toBe(3);
    expect(cost(source, { from: '2026-10-01', to: '2026-10-31', first: 1001 })).toBe(1);
  });

  it('stays a number when fragments spread past any float, and free fields stay free', () => {
    const spreads = (n: number): string =>
      Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ') + ` fragment F${n} on Query { __typename sessions(from: "2026-10-01", to: "2026-10-31") { nodes { id } } }`;
    expect(cost(`{ ...F0 } ${spreads(20)}`)).toBe(2 ** 20);
    expect(cost(`{ ...F0 } ${spreads(1100)}`)).toBe(Infinity);
    expect(cost(`{ ...F0 } ${spreads(1100).replace(/sessions\([^)]*\) \{ nodes \{ id \} \}/, '')}`)).toBe(0);
  });
});

describe('the Heavy cost model (calls inside sessions, nesting multiplies)', () => {
  const price = (query: string, variables: Record<string, unknown> = {}): number => {
    const document = parse(query);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
    return heavyOperationCost(document, operation, variables, rules(300), TODAY);
  };
  const range = 'from: "2026-10-01", to: "2026-10-31"';

  it('accepts the issue\'s dashboard within the default limit: 30 sessions × (one participants page + one QoS page)', () => {
    const cost = price(`{ sessions(${range}, first: 30) { nodes { users(first: 10) { nodes { name qos { samples { dateTime } } } } } } }`);
    expect(cost).toBe(60);
    expect(cost).toBeLessThanOrEqual(loadConfig({}).limits.maxHeavyCost);
  });

  it('refuses the issue\'s 300 × 300 with QoS: 300 sessions × (one page + 30 QoS pages)', () => {
    const cost = price(`{ sessions(${range}, first: 300) { nodes { users(first: 300) { nodes { qos { samples { dateTime } } } } } } }`);
    expect(cost).toBe(9_300);
    expect(cost).toBeGreaterThan(loadConfig({}).limits.maxHeavyCost);
  });

  it('prices details once per session, whatever details fields and aliases ask, and through fragments and variables', () => {
    expect(price(`{ sessions(${range}, first: 20) { nodes { sessionNumber createdAt n: totalMinutes } } }`)).toBe(20);
    expect(price(`query($n: Int) { sessions(${range}, first: $n) { edges { node { ...S } } } } fragment S on Session { users { nodes { id } } }`, { n: 7 })).toBe(7);
    expect(price(`{ sessions(${range}) { nodes { id } } }`)).toBe(0);
    expect(price(`{ sessions(${range}, first: 5) { nodes { users(first: 0) { nodes { qos { samples { dateTime } } } } } } }`)).toBe(0);
  });

  it('prices subscriptions per event: an event\'s session as one of a page, its participant\'s QoS as the walk that finds it, the live set as the most it holds', () => {
    expect(price('subscription { sessionEvents { type session { sessionName } user { name } } }')).toBe(0);
    expect(price('subscription { sessionEvents { session { sessionNumber users { nodes { name } } } } }')).toBe(2);
    expect(price('subscription { sessionEvents { session { users(first: 300) { nodes { qos { samples { dateTime } } } } } } }')).toBe(31);
    // 300 participants (the largest page of `users`) in QoS pages of 10.
    expect(price('subscription { sessionEvents { user { qos { samples { dateTime } } } } }')).toBe(30);
    expect(price('subscription { liveSessions { sessionName } }')).toBe(0);
    expect(price('subscription { liveSessions { users { nodes { name } } } }')).toBe(MAX_TRACKED_SESSIONS);
  });

  it('prices session(id), its nested fields and the daily report by months', () => {
    expect(price('{ session(id: "x") { id } }')).toBe(1);
    // A `first` out of range is the resolver's to refuse (BAD_USER_INPUT); it is priced as one page.
    expect(price('{ session(id: "x") { sessionNumber users(first: 301) { nodes { qos { samples { dateTime } } } } } }')).toBe(3);
    expect(price('{ session(id: "x") { sessionNumber users(first: 30) { nodes { qos { samples { dateTime } } } } } }')).toBe(1 + 1 + 3);
    expect(price('{ dailyUsage(from: "2026-08-01", to: "2026-10-31") { date } }')).toBe(3);
    expect(price('{ dailyUsage(from: "1000-01-01", to: "9999-12-31") { date } }')).toBe(7);
  });

  // Each link spreads the next twice: walked spread by spread, 30 links (~260 tokens) would visit 2^29 fields and block the event loop for minutes.
  const doubling = (n: number, prefix: string, on: string, last: string): string =>
    Array.from({ length: n - 1 }, (_, i) => `fragment ${prefix}${i + 1} on ${on} { ...${prefix}${i + 2} ...${prefix}${i + 2} }`).join(' ') + ` fragment ${prefix}${n} on ${on} { ${last} }`;

  it('prices a chain of fragments that double at each link by counting, not by walking every spread', () => {
    expect(price(`{ sessions(${range}, first: 1) { nodes { ...F1 } } } ${doubling(30, 'F', 'Session', 'users(first: 1) { nodes { name } }')}`)).toBe(2 ** 29);
    expect(price(`{ sessions(${range}, first: 3) { edges { node { ...F1 } } } } ${doubling(30, 'F', 'Session', 'sessionNumber')}`)).toBe(3);
    // QoS under doubling participant fragments is one walk per participants list, however often it is spread.
    expect(price(`{ sessions(${range}, first: 1) { nodes { users(first: 1) { nodes { ...U1 } } } } } ${doubling(30, 'U', 'SessionUser', 'qos { samples { dateTime } }')}`)).toBe(2);
  });

  it('prices a chain past any float as over every limit, and one under first: 0 as free (never NaN)', () => {
    expect(price(`{ sessions(${range}, first: 1) { nodes { ...F1 } } } ${doubling(1100, 'F', 'Session', 'users(first: 1) { nodes { name } }')}`)).toBe(Infinity);
    expect(price(`{ sessions(${range}, first: 0) { nodes { ...F1 } } } ${doubling(1100, 'F', 'Session', 'users(first: 1) { nodes { name } }')}`)).toBe(0);
    expect(price(`{ sessions(${range}, first: 1) { nodes { ...F1 } } } ${doubling(1100, 'F', 'Session', 'users(first: 0) { nodes { name } }')}`)).toBe(0);
  });
});

describe('node(id) and nodes(ids), priced by what each id names', () => {
  const parsed = (source: string) => {
    const document = parse(source);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
    return { document, operation };
  };
  const both = (source: string, variables: Record<string, unknown> = {}) => {
    const { document, operation } = parsed(source);
    return { calls: operationCost(document, operation, variables, rules(300), TODAY), heavy: heavyOperationCost(document, operation, variables, rules(300), TODAY) };
  };
  const session = encodeNodeId({ type: 'Session', sessionId: 'abc==' });
  const user = encodeNodeId({ type: 'SessionUser', session: { id: 'abc==', type: 'past' }, userId: '1', joinTime: '2026-10-01T09:00:00Z' });

  it('a session as `_entities` prices it: a lookup by id alone (past, then live: two details calls at most), its details, and what is under it once', () => {
    expect(both(`{ node(id: "${session}") { id } }`)).toEqual({ calls: 2, heavy: 2 });
    expect(both(`{ node(id: "${session}") { ... on Session { sessionNumber users(first: 30) { nodes { qos { worstLossPercent } } } } } }`)).toEqual({ calls: 2, heavy: 2 + 1 + 3 });
  });

  it('a participant as the first page of its session\'s participants, and the QoS walk that finds it when asked', () => {
    expect(both(`{ node(id: "${user}") { id } }`)).toEqual({ calls: 0, heavy: 1 });
    expect(both(`query($id: ID!) { node(id: $id) { ... on SessionUser { qos { worstLossPercent } } } }`, { id: user })).toEqual({ calls: 0, heavy: 1 + 30 });
  });

  it('_entities as node(id): each Session representation a lookup of Heavy details calls, as it runs (found by review: priced 0)', () => {
    const entities = '{ _entities(representations: [{ __typename: "Session", sessionId: "a" }, { __typename: "Session", sessionId: "b" }]) { ... on Session { sessionNumber } } }';
    expect(both(entities)).toEqual({ calls: 4, heavy: 4 });
  });

  it('leaves out what @skip or @include leave out with the request\'s variables, in both costs (found by review: priced as if run)', () => {
    const skipped = `query($with: Boolean = false) { sessions(from: "2026-10-01", to: "2026-10-31", first: 200) { nodes { users(first: 10) @include(if: $with) { nodes { name } } } } a: sessions(from: "2026-06-01", to: "2026-11-27", first: 300) @skip(if: true) { nodes { id } } }`;
    expect(both(skipped, { with: false })).toEqual({ calls: 1, heavy: 0 });
    expect(both(skipped, { with: true })).toEqual({ calls: 1, heavy: 200 });
    // The same document, asked again with other variables, is priced afresh.
    expect(both(skipped, { with: false })).toEqual({ calls: 1, heavy: 0 });
  });

  it('nodes(ids) as the sum of its ids; an id the resolver refuses costs nothing', () => {
    expect(both('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [session, user, session, 'garbage'] })).toEqual({ calls: 4, heavy: 2 + 1 + 2 });
    // One id where the list is expected is a list of one, as GraphQL coerces it.
    expect(both('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: session })).toEqual({ calls: 2, heavy: 2 });
    expect(both('{ node(id: "garbage") { id } }')).toEqual({ calls: 0, heavy: 0 });
  });
});

describe('prices read from @cost and @listSize', () => {
  const operationOf = (source: string) => {
    const document = parse(source);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
    return { document, operation };
  };
  /** The public schema's priced fields, with the directives given here in place of the gateway's. */
  const schemaWith = (directives: Record<string, string>): GraphQLSchema =>
    buildSchema(`
      directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
      directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
      type Query {
        sessions(from: String, to: String, first: Int): SessionConnection ${directives.sessions ?? ''}
        session(id: ID!): Session ${directives.session ?? ''}
        dailyUsage(from: String!, to: String!): [Int!]! ${directives.dailyUsage ?? ''}
        node(id: ID!): Session ${directives.node ?? ''}
        nodes(ids: [ID!]!): [Session]! ${directives.node ?? ''}
      }
      type SessionConnection { nodes: [Session!]! }
      type Session {
        sessionNumber: String ${directives.details ?? ''}
        createdAt: String ${directives.details ?? ''}
        totalMinutes: Int ${directives.details ?? ''}
        users(first: Int): UserConnection ${directives.users ?? ''}
      }
      type UserConnection { nodes: [SessionUser!]! }
      type SessionUser { qos: Int ${directives.qos ?? ''} }
      type Subscription { liveSessions: [Session!]! ${directives.liveSessions ?? ''} }
    `);
  const GATEWAY = {
    sessions: '@cost(weight: 1) @listSize(assumedSize: 30)',
    session: '@cost(weight: 1)',
    dailyUsage: '@cost(weight: 1)',
    details: '@cost(weight: 1)',
    users: '@cost(weight: 1) @listSize(assumedSize: 30)',
    qos: '@cost(weight: 1)',
    node: '@cost(weight: 2)',
    liveSessions: '@listSize(assumedSize: 20000, requireOneSlicingArgument: false)',
  };

  it('reads the gateway\'s own schema: a Zoom call per page at every priced field, lists of 30 without `first`', () => {
    expect(prices).toEqual({ sessions: { weight: 1, assumedSize: 30 }, session: 1, details: 1, users: { weight: 1, assumedSize: 30 }, qos: 1, dailyUsage: 1, lookup: 2, liveSessions: MAX_TRACKED_SESSIONS });
  });

  it('charges what the directives state: another weight or list size changes the price, with nothing else changed', () => {
    const heavy = (schema: GraphQLSchema, source: string) => {
      const { document, operation } = operationOf(source);
      return heavyOperationCost(document, operation, {}, { prices: readFieldPrices(schema), maxFirst: 300 }, TODAY);
    };
    const calls = (schema: GraphQLSchema, source: string) => {
      const { document, operation } = operationOf(source);
      return operationCost(document, operation, {}, { prices: readFieldPrices(schema), maxFirst: 300 }, TODAY);
    };
    const dashboard = `{ sessions(from: "2026-10-01", to: "2026-10-31") { nodes { sessionNumber users(first: 10) { nodes { qos } } } } }`;
    expect(heavy(schemaWith(GATEWAY), dashboard)).toBe(30 * (1 + 1 + 1));
    expect(heavy(schemaWith({ ...GATEWAY, qos: '@cost(weight: 5)' }), dashboard)).toBe(30 * (1 + 1 + 5));
    expect(heavy(schemaWith({ ...GATEWAY, details: '@cost(weight: 0)' }), dashboard)).toBe(30 * (1 + 1));
    expect(heavy(schemaWith({ ...GATEWAY, sessions: '@cost(weight: 1) @listSize(assumedSize: 3)' }), dashboard)).toBe(3 * (1 + 1 + 1));
    expect(heavy(schemaWith({ ...GATEWAY, session: '@cost(weight: 2)' }), '{ session(id: "x") { sessionNumber } }')).toBe(2);
    expect(heavy(schemaWith({ ...GATEWAY, dailyUsage: '@cost(weight: 3)' }), '{ dailyUsage(from: "2026-08-01", to: "2026-10-31") }')).toBe(9);
    expect(calls(schemaWith({ ...GATEWAY, sessions: '@cost(weight: 4) @listSize(assumedSize: 30)' }), '{ sessions(from: "2026-09-01", to: "2026-10-31") { nodes { sessionNumber } } }')).toBe(2 * 4);
    const global = encodeNodeId({ type: 'Session', sessionId: 'abc==' });
    expect(calls(schemaWith({ ...GATEWAY, node: '@cost(weight: 3)' }), `{ node(id: "${global}") { sessionNumber } }`)).toBe(3);
    expect(heavy(schemaWith({ ...GATEWAY, liveSessions: '@listSize(assumedSize: 7, requireOneSlicingArgument: false)' }), 'subscription { liveSessions { sessionNumber } }')).toBe(7);
  });

  it('refuses to start on a schema that leaves a price out, naming every field that does', () => {
    const { sessions: _sessions, qos: _qos, ...rest } = GATEWAY;
    expect(() => readFieldPrices(schemaWith({ ...rest, sessions: '@cost(weight: 1)' }))).toThrow(
      /Query\.sessions has no @listSize\(assumedSize:\)[\s\S]*SessionUser\.qos has no @cost\(weight:\)/,
    );
  });
});

describe('variables as execution sees them', () => {
  const parsed = (source: string) => {
    const document = parse(source);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
    return { document, operation };
  };
  it('reads a variable named after a member of Object.prototype as sent or as its default, never as the member', () => {
    for (const name of ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty']) {
      const { document, operation } = parsed(`query($${name}: Int = 300) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: $${name}) { nodes { sessionNumber } } }`);
      expect([name, heavyOperationCost(document, operation, effectiveVariables(operation, {}), rules(300), TODAY)]).toEqual([name, 300]);
      expect([name, heavyOperationCost(document, operation, effectiveVariables(operation, JSON.parse(`{"${name}": 20}`) as Record<string, unknown>), rules(300), TODAY)]).toEqual([name, 20]);
    }
  });

  it('prices a variable left out at the default the operation gives it', () => {
    const { document, operation } = parsed('query($f: Int = 300) { sessions(type: PAST, from: "2026-10-01", to: "2026-10-31", first: $f) { nodes { sessionNumber } } }');
    expect(heavyOperationCost(document, operation, effectiveVariables(operation, {}), rules(300), TODAY)).toBe(300);
    expect(heavyOperationCost(document, operation, effectiveVariables(operation, { f: 2 }), rules(300), TODAY)).toBe(2);
    const node = parsed(`query($id: ID! = "${encodeNodeId({ type: 'Session', sessionId: 'abc==' })}") { node(id: $id) { ... on Session { sessionNumber } } }`);
    expect(heavyOperationCost(node.document, node.operation, effectiveVariables(node.operation, {}), rules(300), TODAY)).toBe(2);
  });
});
