import { ConstDirectiveNode, GraphQLField, GraphQLSchema, isObjectType, valueFromASTUntyped } from 'graphql';
import { costDirective, listSizeDirective } from '../sessions/cost.directives';

/** A list field's price: Zoom calls per page, and the items it holds when `first` is left out. */
export interface ListPrice {
  readonly weight: number;
  readonly assumedSize: number;
}

/**
 * The prices the cost plugin charges, read from the schema's `@cost` and `@listSize`: the
 * directives a router sees are the prices this gateway enforces.
 */
export interface FieldPrices {
  /** `Query.sessions`: List sessions calls per page of one month window. */
  readonly sessions: ListPrice;
  /** `Query.session`: the details call that finds a session by id (as `node` and `_entities` do). */
  readonly session: number;
  /** `Session.sessionNumber`, `createdAt`, `totalMinutes`: one details call serves them all, so the dearest counts once. */
  readonly details: number;
  /** `Session.users`: participants calls per page. */
  readonly users: ListPrice;
  /** `SessionUser.qos`: QoS calls per page of the session's QoS walk. */
  readonly qos: number;
  /** `Query.dailyUsage`: daily report calls per calendar month. */
  readonly dailyUsage: number;
  /** `Query.node` (and each id of `nodes`, and each `_entities` representation): a session found by its id alone. */
  readonly lookup: number;
  /** `Subscription.liveSessions`: how many sessions the live set may hold, each priced as one of a page. */
  readonly liveSessions: number;
}

/** What a price depends on besides the operation: the schema's prices, and the largest `first` the resolvers take. */
export interface CostRules {
  readonly prices: FieldPrices;
  readonly maxFirst: number;
}

const DETAILS_FIELDS = ['sessionNumber', 'createdAt', 'totalMinutes'] as const;

function directiveArguments(field: GraphQLField<unknown, unknown>, name: string): Record<string, unknown> | undefined {
  const node = field.astNode?.directives?.find((directive: ConstDirectiveNode) => directive.name.value === name);
  if (node === undefined) return undefined;
  const values: Record<string, unknown> = {};
  for (const argument of node.arguments ?? []) values[argument.name.value] = valueFromASTUntyped(argument.value);
  return values;
}

/**
 * Reads every price once, when the server starts; a priced field without its directive stops
 * the start with one message naming each one, so the plugin never charges a price the schema
 * does not state.
 */
export function readFieldPrices(schema: GraphQLSchema): FieldPrices {
  const problems: string[] = [];
  const fieldOf = (typeName: string, fieldName: string): GraphQLField<unknown, unknown> | undefined => {
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (field === undefined) problems.push(`${typeName}.${fieldName} is not in the schema`);
    return field;
  };
  const weight = (typeName: string, fieldName: string): number => {
    const field = fieldOf(typeName, fieldName);
    if (field === undefined) return 0;
    const value = directiveArguments(field, costDirective.name)?.weight;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    problems.push(`${typeName}.${fieldName} has no @cost(weight:) the plugin can read`);
    return 0;
  };
  const assumedSizeOf = (typeName: string, fieldName: string): number => {
    const field = fieldOf(typeName, fieldName);
    const assumedSize = field === undefined ? undefined : directiveArguments(field, listSizeDirective.name)?.assumedSize;
    if (field !== undefined && !(typeof assumedSize === 'number' && Number.isInteger(assumedSize) && assumedSize >= 0)) {
      problems.push(`${typeName}.${fieldName} has no @listSize(assumedSize:) the plugin can read`);
    }
    return typeof assumedSize === 'number' ? assumedSize : 0;
  };
  const list = (typeName: string, fieldName: string): ListPrice => ({ weight: weight(typeName, fieldName), assumedSize: assumedSizeOf(typeName, fieldName) });
  const prices: FieldPrices = {
    sessions: list('Query', 'sessions'),
    session: weight('Query', 'session'),
    details: Math.max(...DETAILS_FIELDS.map((name) => weight('Session', name))),
    users: list('Session', 'users'),
    qos: weight('SessionUser', 'qos'),
    dailyUsage: weight('Query', 'dailyUsage'),
    lookup: weight('Query', 'node'),
    liveSessions: assumedSizeOf('Subscription', 'liveSessions'),
  };
  if (weight('Query', 'nodes') !== prices.lookup) problems.push('Query.nodes must state the price of Query.node: each of its ids is one such lookup');
  if (problems.length > 0) throw new Error(`The schema does not state every price the cost plugin charges:\n- ${problems.join('\n- ')}`);
  return prices;
}
