import { ASTVisitor, DocumentNode, GraphQLError, Kind, OperationDefinitionNode, SelectionNode, SingleFieldSubscriptionsRule, ValidationContext } from 'graphql';

export const CONDITIONAL_SUBSCRIPTION_ROOT_MESSAGE = 'The root field of a subscription may not use @skip or @include.';

/** The root selections of a subscription (through its fragments) that carry @skip or @include. */
export function conditionalRootSelections(operation: OperationDefinitionNode, fragment: (name: string) => { selectionSet: { selections: readonly SelectionNode[] } } | undefined): SelectionNode[] {
  if (operation.operation !== 'subscription') return [];
  const found: SelectionNode[] = [];
  const spread = new Set<string>();
  const walk = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (selection.directives?.some((directive) => directive.name.value === 'skip' || directive.name.value === 'include')) {
        found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet.selections);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD && !spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const definition = fragment(selection.name.value);
        if (definition) walk(definition.selectionSet.selections);
      }
    }
  };
  walk(operation.selectionSet.selections);
  return found;
}

/** The root selections of every subscription in `document` that carry @skip or @include (see singleRootFieldRule). */
export function conditionalSubscriptionRoots(document: DocumentNode): SelectionNode[] {
  // Most documents hold no subscription: nothing to index for them.
  if (!document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription')) return [];
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  return document.definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? conditionalRootSelections(definition, (name) => fragments.get(name)) : []));
}

/**
 * graphql-js 16's SingleFieldSubscriptionsRule, with the spec's rule that a subscription's root field is never skipped
 * or included on a condition (exactly one root field, known before any variable is read; graphql-js 17 checks it).
 * graphql-js 16 does not: its rule throws out of validation on `@include(if: $variable)` at the root, and a skipped
 * root field throws a TypeError at subscribe, either of which a client would see as a server fault. Used in place of
 * that rule wherever the gateway validates subscriptions itself.
 */
export function singleRootFieldRule(context: ValidationContext): ASTVisitor {
  // graphql-js 16's rule is an object visitor with one enter function, which reads only the operation node.
  const single = SingleFieldSubscriptionsRule(context) as { OperationDefinition?: (node: OperationDefinitionNode) => void };
  return {
    OperationDefinition(node) {
      const conditional = conditionalRootSelections(node, (name) => context.getFragment(name) ?? undefined);
      for (const selection of conditional) context.reportError(new GraphQLError(CONDITIONAL_SUBSCRIPTION_ROOT_MESSAGE, { nodes: selection }));
      if (conditional.length === 0) single.OperationDefinition?.(node);
    },
  };
}
