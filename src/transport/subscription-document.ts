import { DocumentNode, GraphQLError, GraphQLSchema, OperationTypeNode, ValidationRule, getOperationAST, getVariableValues, parse, validate } from 'graphql';
import { LRUCache } from 'lru-cache';
import { documentBytes } from '../document-cache';
import { CostLimits, priceOperation } from '../query-limits/cost.plugin';

export interface SubscribePayload {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

export interface PreparedSubscription {
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variableValues: Record<string, unknown> | undefined;
  /** Equal for subscribers asking the same: they share one execution per event. */
  readonly operationKey: string;
}

/** Errors told of a request's variables at most (graphql-js's own default for execution). */
const MAX_VARIABLE_ERRORS = 50;

/** The same error with a code, unless it has one (a limit's, a rule's own). */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code } });
}

/**
 * Documents already parsed and validated, by text and operation name: ten thousand dashboards
 * subscribing with one document hold one syntax tree, not ten thousand (the live bench's
 * 10,000-subscriber run: most of a subscription's memory was its own parse). Bounded by the
 * trees' real size (`documentBytes`), since a client can make documents unique at will.
 */
export class PreparedDocuments {
  private readonly entries: LRUCache<string, DocumentNode> | undefined;

  constructor(maxBytes: number) {
    this.entries = maxBytes > 0 ? new LRUCache<string, DocumentNode>({ maxSize: maxBytes, sizeCalculation: (document) => Math.max(1, documentBytes(document)) }) : undefined;
  }

  get(query: string, operationName: string | undefined): DocumentNode | undefined {
    return this.entries?.get(PreparedDocuments.key(query, operationName));
  }

  set(query: string, operationName: string | undefined, document: DocumentNode): void {
    this.entries?.set(PreparedDocuments.key(query, operationName), document);
  }

  private static key(query: string, operationName: string | undefined): string {
    return `${operationName ?? ''}\n${query}`;
  }
}

/** What every subscribe request is held to: the schema, the document rules of POST /graphql, and its cost limits. */
export interface SubscriptionRules {
  readonly schema: GraphQLSchema;
  readonly rules: readonly ValidationRule[];
  readonly maxTokens: number;
  /** Each event runs the operation once: it is priced as a query is, per event. */
  readonly cost: CostLimits;
}

/** An operation of a valid document, priced with this request's variables. */
function priced(held: SubscriptionRules, document: DocumentNode, operationName: string | undefined, variableValues: Record<string, unknown> | undefined, payload: SubscribePayload): PreparedSubscription | GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [new GraphQLError('The document names no operation to run: give `operationName`.', { extensions: { code: 'BAD_REQUEST' } })];
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return [new GraphQLError('Only subscriptions are served here; send queries to POST /graphql.', { extensions: { code: 'BAD_REQUEST' } })];
  }
  // Variables that execution would refuse are refused here, with the code POST /graphql gives them.
  const coerced = getVariableValues(held.schema, operation.variableDefinitions ?? [], variableValues ?? {}, { maxErrors: MAX_VARIABLE_ERRORS });
  if (coerced.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
  const { refused } = priceOperation(held.cost, document, operation, variableValues ?? {});
  if (refused) return [refused];
  // Keyed by the values execution will use: variables the operation does not declare (nested at will by a client) are not in it.
  return { document, operationName, variableValues, operationKey: JSON.stringify([payload.query, operationName ?? null, coerced.coerced]) };
}

/**
 * Parses and validates a subscribe request with the gateway's rules, answering a bad one with
 * the codes POST /graphql gives (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST,
 * BAD_USER_INPUT, QUERY_LIMIT_EXCEEDED): they are the client's mistakes, not the gateway's failures.
 */
export function prepareSubscription(held: SubscriptionRules, payload: SubscribePayload, prepared?: PreparedDocuments): PreparedSubscription | GraphQLError[] {
  if (typeof payload.query !== 'string') return [new GraphQLError('`query` must be a string.', { extensions: { code: 'BAD_REQUEST' } })];
  const operationName = payload.operationName ?? undefined;
  const variableValues = payload.variables ?? undefined;
  const known = prepared?.get(payload.query, operationName);
  if (known) return priced(held, known, operationName, variableValues, payload);
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: held.maxTokens });
  } catch (error) {
    return [withCode(error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.'), 'GRAPHQL_PARSE_FAILED')];
  }
  const errors = validate(held.schema, document, held.rules);
  if (errors.length > 0) return errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
  const answer = priced(held, document, operationName, variableValues, payload);
  // Kept once it is known to be a subscription: its price and variables are judged again on every request.
  if (!Array.isArray(answer) || answer.every((error) => error.extensions.code === 'QUERY_LIMIT_EXCEEDED' || error.extensions.code === 'BAD_USER_INPUT')) prepared?.set(payload.query, operationName, document);
  return answer;
}
