import type { ApolloServerPlugin } from '@apollo/server';
import { FieldNode, FragmentDefinitionNode, Kind, SelectionSetNode, ValueNode, valueFromASTUntyped } from 'graphql';
import { splitIntoWindows } from '../sessions/windows';
import { ZOOM_MAX_PAGE_SIZE } from '../zoom/client';
import { isDay } from '../zoom/calendar';
import { limitError } from './limit-error';

/** Zoom keeps six months; a range the cost model cannot read is priced as the longest one (7 calendar months). */
export const UNKNOWN_RANGE_WINDOWS = 7;

type Variables = Readonly<Record<string, unknown>>;

function argument(field: FieldNode, name: string, variables: Variables): unknown {
  const node = field.arguments?.find((arg) => arg.name.value === name)?.value;
  return node === undefined ? undefined : valueFromASTUntyped(node as ValueNode, variables as Record<string, unknown>);
}

/**
 * What a `sessions` field may cost in Zoom calls: one walk per month window, and as many
 * pages per window as `first` could need.
 */
export function sessionsFieldCost(from: unknown, to: unknown, first: unknown, maxFirst: number): number {
  const windows = typeof from === 'string' && typeof to === 'string' && isDay(from) && isDay(to) ? Math.max(1, splitIntoWindows(from, to).length) : UNKNOWN_RANGE_WINDOWS;
  // A `first` beyond the maximum is the resolver's to refuse, as BAD_USER_INPUT that names it.
  const pages = typeof first === 'number' && first > 0 && first <= maxFirst ? Math.ceil(first / ZOOM_MAX_PAGE_SIZE) : 1;
  return windows * pages;
}

function fieldCost(field: FieldNode, variables: Variables, maxFirst: number): number {
  if (field.name.value === 'sessions') {
    return sessionsFieldCost(argument(field, 'from', variables), argument(field, 'to', variables), argument(field, 'first', variables), maxFirst);
  }
  if (field.name.value === '_entities') {
    const representations = argument(field, 'representations', variables);
    return Array.isArray(representations) ? representations.length : 1;
  }
  return 0;
}

interface Pricing {
  readonly fragments: Map<string, FragmentDefinitionNode>;
  readonly variables: Variables;
  readonly maxFirst: number;
  readonly memo: Map<string, number>;
  readonly visiting: Set<string>;
}

function selectionCost(selectionSet: SelectionSetNode, pricing: Pricing): number {
  const { fragments, memo, visiting } = pricing;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(selection, pricing.variables, pricing.maxFirst);
      if (selection.selectionSet) cost += selectionCost(selection.selectionSet, pricing);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      cost += selectionCost(selection.selectionSet, pricing);
    } else {
      const name = selection.name.value;
      if (visiting.has(name)) continue;
      let fragmentCost = memo.get(name);
      if (fragmentCost === undefined) {
        const fragment = fragments.get(name);
        visiting.add(name);
        fragmentCost = fragment ? selectionCost(fragment.selectionSet, pricing) : 0;
        visiting.delete(name);
        memo.set(name, fragmentCost);
      }
      cost += fragmentCost;
    }
  }
  return cost;
}

/**
 * Prices the operation in the Zoom calls it may need, once variables are known, and refuses
 * it before execution when it is dearer than `maxCost`.
 */
export function costLimitPlugin<TContext extends object>(maxCost: number, maxFirst: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const cost = selectionCost(operation.selectionSet, { fragments, variables: request.variables ?? {}, maxFirst, memo: new Map(), visiting: new Set() });
          if (cost > maxCost) throw limitError('cost', maxCost, cost, 'The operation may cost more Zoom calls than one request may ask for');
        },
      };
    },
  };
}
