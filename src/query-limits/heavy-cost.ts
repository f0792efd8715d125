import { DocumentNode, FieldNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { NodeKey, decodeNodeId } from '../sessions/node-id';
import { QOS_PAGE_SIZE, USERS_PAGE_SIZE } from '../sessions/session-user-pages';
import type { CostRules } from './field-prices';
import { argumentValue, isExcluded } from './operation-variables';
import { Day, ZOOM_HISTORY_MONTHS, addMonths, firstOfMonth, historyStart, isDay } from '../time/calendar';

/** Zoom's history spans parts of seven calendar months: no daily-usage range asks for more; an unreadable one is priced so. */
const MAX_REPORT_MONTHS = ZOOM_HISTORY_MONTHS + 1;

/**
 * Heavy calls (inside sessions) an operation may need. Nesting multiplies: a field under
 * `sessions(first: 30)` runs for each of the 30 sessions, so it weighs its own calls times every
 * enclosing connection's `first`. Per session: details once if any details field is selected,
 * participants as many 300-participant pages as `first` spans, QoS one walk of as many 10-entry
 * pages as its `users(first:)` spans (shared by the participants, so not multiplied by them).
 * Each call is priced at its field's `@cost` weight, and a `first` left out is its `@listSize`.
 */
type Variables = Readonly<Record<string, unknown>>;

const DETAILS_FIELDS = new Set(['sessionNumber', 'createdAt', 'totalMinutes']);
/** A list that could multiply what is under it is priced as at most this many (the resolver refuses more). */
const pagesFor = (first: number, pageSize: number): number => Math.max(1, Math.ceil(first / pageSize));

interface Walk {
  readonly fragments: Map<string, FragmentDefinitionNode>;
  readonly variables: Variables;
  readonly rules: CostRules;
  readonly today: Day;
  readonly visiting: Set<string>;
  /** Each fragment's fields, worked out once: a chain of fragments that spread the next twice would otherwise double the walk per link. */
  readonly known: Map<string, FieldCounts>;
  readonly qos: Map<SelectionSetNode, boolean>;
}

/** The fields of a selection set, each with how many times it runs there (a fragment spread N times counts N times). */
type FieldCounts = Map<FieldNode, number>;

/** A product that stays 0 when either side is 0: counts past any float are Infinity, and Infinity × 0 would be NaN, which passes any limit. */
const times = (count: number, each: number): number => (count === 0 || each === 0 ? 0 : count * each);

function addTimes(into: FieldCounts, from: FieldCounts): void {
  for (const [field, count] of from) into.set(field, (into.get(field) ?? 0) + count);
}

function firstOf(value: unknown, fallback: number, maxFirst: number): number {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= maxFirst ? value : 1;
}

function monthsOf(from: unknown, to: unknown, today: Day): number {
  if (typeof from !== 'string' || typeof to !== 'string' || !isDay(from) || !isDay(to)) return MAX_REPORT_MONTHS;
  const start = from < historyStart(today) ? historyStart(today) : from;
  const end = to > today ? today : to;
  let months = 0;
  for (let month = firstOfMonth(start); month <= end && months < MAX_REPORT_MONTHS; month = addMonths(month, 1)) months += 1;
  return Math.max(1, months);
}

/** Every field of a selection set, through inline fragments and fragment spreads, with how many times it runs. */
function fieldCounts(selectionSet: SelectionSetNode, walk: Walk): FieldCounts {
  const counts: FieldCounts = new Map();
  for (const selection of selectionSet.selections) {
    // Left out by @skip or @include with this request's variables: never run, so never priced.
    if (isExcluded(selection, walk.variables)) continue;
    if (selection.kind === Kind.FIELD) counts.set(selection, (counts.get(selection) ?? 0) + 1);
    else if (selection.kind === Kind.INLINE_FRAGMENT) addTimes(counts, fieldCounts(selection.selectionSet, walk));
    else {
      const name = selection.name.value;
      if (walk.visiting.has(name)) continue;
      let fragmentCounts = walk.known.get(name);
      if (fragmentCounts === undefined) {
        const fragment = walk.fragments.get(name);
        walk.visiting.add(name);
        fragmentCounts = fragment ? fieldCounts(fragment.selectionSet, walk) : new Map<FieldNode, number>();
        walk.visiting.delete(name);
        walk.known.set(name, fragmentCounts);
      }
      addTimes(counts, fragmentCounts);
    }
  }
  return counts;
}

/** Visits each distinct field of a selection set once, with how many times it runs. */
function fieldsOf(selectionSet: SelectionSetNode, walk: Walk, visit: (field: FieldNode, count: number) => void): void {
  for (const [field, count] of fieldCounts(selectionSet, walk)) visit(field, count);
}

/** Whether a QoS field sits anywhere under this selection (a participant's `qos`). */
function selectsQos(selectionSet: SelectionSetNode | undefined, walk: Walk): boolean {
  if (!selectionSet) return false;
  let found = walk.qos.get(selectionSet);
  if (found === undefined) {
    found = false;
    for (const field of fieldCounts(selectionSet, walk).keys()) {
      if (field.name.value === 'qos' || selectsQos(field.selectionSet, walk)) {
        found = true;
        break;
      }
    }
    walk.qos.set(selectionSet, found);
  }
  return found;
}

/** What one session's selection costs, for one session; `detailsPaid` when its details are fetched anyway (session(id)). */
function sessionCost(selectionSet: SelectionSetNode | undefined, walk: Walk, detailsPaid = false): number {
  if (!selectionSet) return 0;
  let details = false;
  let cost = 0;
  fieldsOf(selectionSet, walk, (field, count) => {
    const name = field.name.value;
    if (DETAILS_FIELDS.has(name)) details = true;
    if (name === 'users') {
      const { prices, maxFirst } = walk.rules;
      const first = firstOf(argumentValue(field, 'first', walk.variables), prices.users.assumedSize, maxFirst);
      const qos = selectsQos(field.selectionSet, walk) ? pagesFor(first, QOS_PAGE_SIZE) * prices.qos : 0;
      cost += times(count, first === 0 ? 0 : pagesFor(first, USERS_PAGE_SIZE) * prices.users.weight + qos);
    }
  });
  return cost + (details && !detailsPaid ? walk.rules.prices.details : 0);
}

/** Sessions under a connection's selection (`nodes` or `edges { node }`): their cost, each. */
function connectionNodesCost(selectionSet: SelectionSetNode | undefined, walk: Walk): number {
  if (!selectionSet) return 0;
  let cost = 0;
  fieldsOf(selectionSet, walk, (field, count) => {
    if (field.name.value === 'nodes') cost += times(count, sessionCost(field.selectionSet, walk));
    if (field.name.value === 'edges' && field.selectionSet) {
      fieldsOf(field.selectionSet, walk, (edgeField, edgeCount) => {
        if (edgeField.name.value === 'node') cost += times(times(count, edgeCount), sessionCost(edgeField.selectionSet, walk));
      });
    }
  });
  return cost;
}

/**
 * The objects a `node(id:)` or `nodes(ids:)` field will look up: its ids decoded as the resolver
 * will, so each is priced as what it names; an id the resolver refuses costs nothing.
 */
export function nodeKeysOf(field: FieldNode, variables: Variables): NodeKey[] {
  // A single id where `ids` takes a list is a list of one, as GraphQL's input coercion makes it.
  const ids = field.name.value === 'node' ? [argumentValue(field, 'id', variables)] : argumentValue(field, 'ids', variables);
  const given = Array.isArray(ids) ? ids : ids === undefined || ids === null ? [] : [ids];
  const keys: NodeKey[] = [];
  for (const id of given) {
    const key = typeof id === 'string' ? decodeNodeId(id) : 'not an id';
    if (typeof key !== 'string') keys.push(key);
  }
  return keys;
}

/**
 * One participant's QoS, found alone (`node`, a subscription event's `user`): Zoom has no QoS call
 * for one participant, so its session's QoS list is walked until the participant appears. Priced
 * as a walk over as many participants as one `users` page may list (SESSIONS_MAX_FIRST); one
 * further along spends the request's Heavy call limit, and fails alone.
 */
function participantQosPrice(rules: CostRules): number {
  return pagesFor(rules.maxFirst, QOS_PAGE_SIZE) * rules.prices.qos;
}

/** A session found by its id alone (`node`, `_entities`): `Query.node`'s weight (a details call per type asked, past then live). */
export function lookupPrice(rules: CostRules): number {
  return rules.prices.lookup;
}

/**
 * One node lookup: a session as `session(id)` (its details, and what is under it once); a
 * participant as the first page of its session's participants (a lookup past it spends the
 * request's Heavy call limit, and fails alone), and its QoS walk when `qos` is asked.
 */
function nodeCost(key: NodeKey, selectionSet: SelectionSetNode | undefined, walk: Walk): number {
  const { prices } = walk.rules;
  if (key.type === 'Session') return lookupPrice(walk.rules) + sessionCost(selectionSet, walk, true);
  return prices.users.weight + (selectsQos(selectionSet, walk) ? participantQosPrice(walk.rules) : 0);
}

/** Fields that lead to Heavy calls; an operation naming none (the common sessions list) costs 0 without a walk. */
const HEAVY_NAMES = /^(?:users|qos|sessionNumber|createdAt|totalMinutes|session|dailyUsage|_entities|node|nodes|sessionEvents|liveSessions)$/;
const mentionsHeavy = new WeakMap<DocumentNode, boolean>();

function namesHeavyField(document: DocumentNode): boolean {
  let names = mentionsHeavy.get(document);
  if (names === undefined) {
    names = false;
    visitNames: for (const definition of document.definitions) {
      const stack: SelectionSetNode[] = 'selectionSet' in definition && definition.selectionSet ? [definition.selectionSet] : [];
      while (stack.length > 0) {
        for (const selection of (stack.pop() as SelectionSetNode).selections) {
          if (selection.kind === Kind.FIELD && HEAVY_NAMES.test(selection.name.value)) {
            names = true;
            break visitNames;
          }
          if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) stack.push(selection.selectionSet);
        }
      }
    }
    mentionsHeavy.set(document, names);
  }
  return names;
}

export function heavyOperationCost(document: DocumentNode, operation: OperationDefinitionNode, variables: Variables, rules: CostRules, today: Day): number {
  if (!namesHeavyField(document)) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const walk: Walk = { fragments, variables, rules, today, visiting: new Set(), known: new Map(), qos: new Map() };
  const { prices, maxFirst } = rules;
  let cost = 0;
  fieldsOf(operation.selectionSet, walk, (field, count) => {
    const name = field.name.value;
    if (name === 'sessions') cost += times(count, times(firstOf(argumentValue(field, 'first', variables), prices.sessions.assumedSize, maxFirst), connectionNodesCost(field.selectionSet, walk)));
    // session(id): its details call always, and what is under it once.
    if (name === 'session') cost += times(count, prices.session + sessionCost(field.selectionSet, walk, true));
    if (name === '_entities') {
      const representations = argumentValue(field, 'representations', variables);
      // Each entity is a session looked up by id, as node(id) is: its details calls (Heavy), then what is under it.
      cost += times(count, times(Array.isArray(representations) ? representations.length : 1, lookupPrice(rules) + sessionCost(field.selectionSet, walk, true)));
    }
    if (name === 'node' || name === 'nodes') {
      let each = 0;
      for (const key of nodeKeysOf(field, variables)) each += nodeCost(key, field.selectionSet, walk);
      cost += times(count, each);
    }
    if (name === 'dailyUsage') cost += times(count, times(monthsOf(argumentValue(field, 'from', variables), argumentValue(field, 'to', variables), today), prices.dailyUsage));
    // Subscriptions, priced per event: each event runs the selection once.
    if (name === 'sessionEvents') cost += times(count, sessionEventCost(field.selectionSet, walk));
    // The live set has no `first`: as many sessions as it may hold (its @listSize), each as one of a page.
    if (name === 'liveSessions') cost += times(count, times(prices.liveSessions, sessionCost(field.selectionSet, walk)));
  });
  return cost;
}

/** One session event: its session as a session of a page (details not paid), its participant's QoS as a walk to find it. */
function sessionEventCost(selectionSet: SelectionSetNode | undefined, walk: Walk): number {
  if (!selectionSet) return 0;
  let cost = 0;
  fieldsOf(selectionSet, walk, (field, count) => {
    if (field.name.value === 'session') cost += times(count, sessionCost(field.selectionSet, walk));
    if (field.name.value === 'user' && selectsQos(field.selectionSet, walk)) cost += times(count, participantQosPrice(walk.rules));
  });
  return cost;
}
