import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, FieldNode, GraphQLError, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { ZOOM_MAX_PAGE_SIZE } from '../zoom/client';
import { sessionsRange } from '../sessions/sessions-range';
import { Day, fitsOneZoomRange, historyStart, isDay, todayUtc } from '../time/calendar';
import type { CostRules } from './field-prices';
import { heavyOperationCost, lookupPrice, nodeKeysOf } from './heavy-cost';
import { connectionArgumentsError } from './connection-arguments';
import { limitError } from './limit-error';
import { argumentValue, effectiveVariables, hasConditions, isExcluded } from './operation-variables';

/** Zoom keeps six months; a range the cost model cannot read is priced as the longest one (7 calendar months). */
export const UNKNOWN_RANGE_WINDOWS = 7;

type Variables = Readonly<Record<string, unknown>>;

/** Calendar months from the month of `from` to the month of `to`, both included, by arithmetic (no loop over a range a client chose). */
function monthsSpanned(from: Day, to: Day): number {
  const months = (day: Day) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));
  return months(to) - months(from) + 1;
}

/** A bound as the resolver will read it: a day, left out (undefined), or unreadable. */
function boundOf(value: unknown): Day | undefined | 'unreadable' {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && isDay(value) ? value : 'unreadable';
}

/**
 * How many month windows the reader would walk: the range as the resolver will see it (bounds
 * left out default as sessionsRange says), cut to Zoom's history and to today; an unreadable
 * range is priced as the longest one. A cursor's range is never longer than the one priced here.
 */
export function windowCount(fromArg: unknown, toArg: unknown, today: Day): number {
  const given = { from: boundOf(fromArg), to: boundOf(toArg) };
  if (given.from === 'unreadable' || given.to === 'unreadable') return UNKNOWN_RANGE_WINDOWS;
  const { from, to } = sessionsRange({ from: given.from, to: given.to }, today);
  const start = from < historyStart(today) ? historyStart(today) : from;
  const end = to > today ? today : to;
  if (start > end) return 1;
  return fitsOneZoomRange(start, end) ? 1 : Math.min(UNKNOWN_RANGE_WINDOWS, monthsSpanned(start, end));
}

/**
 * What a `sessions` field may cost in Zoom calls: one walk per month window, and as many
 * pages per window as `first` (or the list size assumed without it) could need, each at the
 * field's weight.
 */
export function sessionsFieldCost(from: unknown, to: unknown, first: unknown, rules: CostRules, today: Day): number {
  const { weight, assumedSize } = rules.prices.sessions;
  const size = first === undefined || first === null ? assumedSize : first;
  // A `first` beyond the maximum is the resolver's to refuse, as BAD_USER_INPUT that names it.
  const pages = typeof size === 'number' && size > 0 && size <= rules.maxFirst ? Math.ceil(size / ZOOM_MAX_PAGE_SIZE) : 1;
  return windowCount(from, to, today) * pages * weight;
}

function fieldCost(field: FieldNode, variables: Variables, rules: CostRules, today: Day): number {
  if (field.name.value === 'sessions') {
    return sessionsFieldCost(argumentValue(field, 'from', variables), argumentValue(field, 'to', variables), argumentValue(field, 'first', variables), rules, today);
  }
  // An entity is looked up by its id alone: one details call per type asked until Zoom knows it (past, then live).
  if (field.name.value === '_entities') {
    const representations = argumentValue(field, 'representations', variables);
    return (Array.isArray(representations) ? representations.length : 1) * lookupPrice(rules);
  }
  // A session by global id is looked up as an `_entities` representation is; a participant costs only Heavy calls.
  if (field.name.value === 'node' || field.name.value === 'nodes') return nodeKeysOf(field, variables).filter((key) => key.type === 'Session').length * lookupPrice(rules);
  return 0;
}

const PRICED_FIELDS = new Set(['sessions', '_entities', 'node', 'nodes']);

/** The fields that cost Zoom calls, each with how many times it runs: a fragment spread N times counts N times. */
type PricedFields = Map<FieldNode, number>;

function addTimes(into: PricedFields, from: PricedFields, times: number): void {
  for (const [field, count] of from) into.set(field, (into.get(field) ?? 0) + count * times);
}

/** `variables` when the document holds @skip or @include: what they leave out is not priced. */
function pricedFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, known: Map<string, PricedFields>, visiting: Set<string>, variables?: Variables): PricedFields {
  const priced: PricedFields = new Map();
  for (const selection of selectionSet.selections) {
    if (variables !== undefined && isExcluded(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      if (PRICED_FIELDS.has(selection.name.value)) priced.set(selection, (priced.get(selection) ?? 0) + 1);
      if (selection.selectionSet) addTimes(priced, pricedFields(selection.selectionSet, fragments, known, visiting, variables), 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      addTimes(priced, pricedFields(selection.selectionSet, fragments, known, visiting, variables), 1);
    } else {
      const name = selection.name.value;
      if (visiting.has(name)) continue;
      let fragmentFields = known.get(name);
      if (fragmentFields === undefined) {
        const fragment = fragments.get(name);
        visiting.add(name);
        fragmentFields = fragment ? pricedFields(fragment.selectionSet, fragments, known, visiting, variables) : new Map();
        visiting.delete(name);
        known.set(name, fragmentFields);
      }
      addTimes(priced, fragmentFields, 1);
    }
  }
  return priced;
}

/**
 * Which fields of an operation cost Zoom calls depends on the document alone, and Apollo keeps
 * one parsed document per query text: it is worked out once per operation, and each request
 * only prices those fields with its own variables. A document with @skip or @include is worked
 * out per request: which fields run depends on the variables.
 */
const pricedFieldsByOperation = new WeakMap<OperationDefinitionNode, PricedFields>();

function pricedFieldsOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): PricedFields {
  const conditional = hasConditions(document);
  let priced = conditional ? undefined : pricedFieldsByOperation.get(operation);
  if (!priced) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    priced = pricedFields(operation.selectionSet, fragments, new Map(), new Set(), conditional ? variables : undefined);
    if (!conditional) pricedFieldsByOperation.set(operation, priced);
  }
  return priced;
}

/** Zoom calls an operation may need with these variables; fields that cost nothing never multiply, so counts past any float stay harmless. */
export function operationCost(document: DocumentNode, operation: OperationDefinitionNode, variables: Variables, rules: CostRules, today: Day): number {
  let cost = 0;
  for (const [field, count] of pricedFieldsOf(document, operation, variables)) {
    const each = fieldCost(field, variables, rules, today);
    if (each > 0) cost += count * each;
  }
  return cost;
}

/** The limits every operation is priced against, over HTTP and on subscribe alike. */
export interface CostLimits {
  /** Zoom calls one operation may cost (List sessions walks and lookups by id). */
  readonly maxCost: number;
  /** Heavy Zoom calls (inside sessions) one operation may cost. */
  readonly maxHeavyCost: number;
  readonly rules: CostRules;
  /** Participant cursors are checked before the operation runs (connection-arguments.ts). */
  readonly cursorKey: Buffer;
  readonly now: () => number;
}

export interface CostLimitOptions<TContext> extends CostLimits {
  /** The Zoom calls this request really made, for `extensions.cost`. */
  readonly callsMade: (context: TContext) => number;
}

export interface OperationPrice {
  readonly estimated: { readonly cost: number; readonly heavyCost: number };
  /** BAD_USER_INPUT for a nested argument no execution would take, QUERY_LIMIT_EXCEEDED when the operation is dearer than a limit. */
  readonly refused?: GraphQLError;
}

/**
 * What an operation may cost with these variables (those left out take the operation's defaults),
 * and the error that refuses it before it runs: an argument it could only be refused for once a
 * Zoom call was made, or a price above a limit.
 */
export function priceOperation(limits: CostLimits, document: DocumentNode, operation: OperationDefinitionNode, given: Variables): OperationPrice {
  const today = todayUtc(limits.now());
  const variables = effectiveVariables(operation, given);
  const cost = operationCost(document, operation, variables, limits.rules, today);
  const heavyCost = heavyOperationCost(document, operation, variables, limits.rules, today);
  const estimated = { cost, heavyCost };
  const badArgument = connectionArgumentsError(document, operation, variables, { maxFirst: limits.rules.maxFirst, cursorKey: limits.cursorKey });
  if (badArgument) return { estimated, refused: badArgument };
  if (cost > limits.maxCost) return { estimated, refused: limitError('cost', limits.maxCost, cost, 'The operation may cost more Zoom calls than one request may ask for') };
  if (heavyCost > limits.maxHeavyCost) {
    return { estimated, refused: limitError('heavyCost', limits.maxHeavyCost, heavyCost, 'The operation may cost more Heavy Zoom calls (inside sessions) than one request may ask for') };
  }
  return { estimated };
}

/** What a client that asked (`"extensions": {"cost": true}`) is told of its operation's price. */
export interface CostExtension {
  readonly estimated: { readonly cost: number; readonly heavyCost: number };
  readonly max: { readonly cost: number; readonly heavyCost: number };
  /** Calls that reached Zoom for this request, retries included; cached pages and calls shared with others are free. */
  readonly zoomCalls: number;
}

/**
 * Prices the operation in the Zoom calls it may need, once variables are known, and refuses
 * it before execution when it is dearer than a limit. A request whose `extensions` ask for
 * `cost` is answered with the estimate, the limits and the calls really made.
 */
export function costLimitPlugin<TContext extends object>(options: CostLimitOptions<TContext>): ApolloServerPlugin<TContext> {
  const { maxCost, maxHeavyCost } = options;
  return {
    async requestDidStart({ request }) {
      const asked = request.extensions?.cost === true;
      let estimated: CostExtension['estimated'] | undefined;
      return {
        async didResolveOperation({ document, operation, request: resolved }) {
          if (!operation) return;
          const price = priceOperation(options, document, operation, resolved.variables ?? {});
          estimated = price.estimated;
          if (price.refused) throw price.refused;
        },
        async willSendResponse({ response, contextValue }) {
          if (!asked || estimated === undefined || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const extension: CostExtension = { estimated, max: { cost: maxCost, heavyCost: maxHeavyCost }, zoomCalls: options.callsMade(contextValue) };
          singleResult.extensions = { ...singleResult.extensions, cost: extension };
        },
      };
    },
  };
}
