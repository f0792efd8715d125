import {
  ASTVisitor,
  FragmentDefinitionNode,
  Kind,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { limitError } from './limit-error';

export interface DocumentLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxRootFields: number;
  readonly maxDirectives: number;
}

/**
 * Introspection (Apollo Sandbox, codegen) nests `ofType` a dozen levels deep; it is bounded by
 * the schema, so it has its own, higher depth limit instead of eating the query's.
 */
export const INTROSPECTION_MAX_DEPTH = 20;

function fragmentsOf(context: ValidationContext): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Depth through fragments, memoised per fragment so that exploding fragment graphs cost
 * linear time; a cycle counts as infinitely deep (graphql-js reports cycles on its own too).
 */
function depthOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, memo: Map<string, number>, visiting: Set<string>, introspection: boolean): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const isIntrospection = selection.name.value.startsWith('__');
      if (isIntrospection && !introspection) {
        const depth = selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, new Map(), new Set(), true) : 1;
        if (depth > INTROSPECTION_MAX_DEPTH) return Number.POSITIVE_INFINITY;
        continue;
      }
      const depth = selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, memo, visiting, introspection) : 1;
      deepest = Math.max(deepest, depth);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, memo, visiting, introspection));
    } else {
      const name = selection.name.value;
      if (visiting.has(name)) return Number.POSITIVE_INFINITY;
      let depth = memo.get(name);
      if (depth === undefined) {
        const fragment = fragments.get(name);
        visiting.add(name);
        depth = fragment ? depthOf(fragment.selectionSet, fragments, memo, visiting, introspection) : 0;
        visiting.delete(name);
        memo.set(name, depth);
      }
      deepest = Math.max(deepest, depth);
    }
  }
  return deepest;
}

/** Root fields of an operation, through fragments spread on the root, `__typename` aside. */
function rootFieldCount(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, fragments, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) count += rootFieldCount(fragment.selectionSet, fragments, seen);
    }
  }
  return count;
}

/** Depth, aliases, root fields and directives, checked on the document before execution. */
export function documentLimitsRule(limits: DocumentLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let directives = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Directive() {
        directives += 1;
      },
      OperationDefinition(node) {
        const fragments = fragmentsOf(context);
        const depth = depthOf(node.selectionSet, fragments, new Map(), new Set(), false);
        if (depth > limits.maxDepth) {
          context.reportError(limitError('depth', limits.maxDepth, Number.isFinite(depth) ? depth : limits.maxDepth + 1, 'The query is nested too deeply'));
        }
        const rootFields = rootFieldCount(node.selectionSet, fragments, new Set());
        if (rootFields > limits.maxRootFields) {
          context.reportError(limitError('rootFields', limits.maxRootFields, rootFields, 'The operation asks for too many root fields'));
        }
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases) context.reportError(limitError('aliases', limits.maxAliases, aliases, 'The document uses too many aliases'));
          if (directives > limits.maxDirectives) {
            context.reportError(limitError('directives', limits.maxDirectives, directives, 'The document uses too many directives'));
          }
        },
      },
    };
  };
}
