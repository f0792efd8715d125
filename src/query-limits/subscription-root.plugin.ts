import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ASTVisitor, DocumentNode, GraphQLError, SelectionNode, ValidationContext, visit } from 'graphql';
import { CONDITIONAL_SUBSCRIPTION_ROOT_MESSAGE, conditionalSubscriptionRoots } from './subscription-root-directives.rule';

/** Documents validated in place of a client's, with the @skip/@include of its subscription root taken out: each is refused. */
const withoutConditions = new WeakMap<DocumentNode, readonly SelectionNode[]>();

/**
 * Apollo Server always validates with graphql-js's own rules, and graphql-js 16's single-root-field rule throws out of
 * validation on a subscription whose root field is included on a variable (see singleRootFieldRule), which Apollo
 * answers as an internal error. Just before validation, such a document is swapped for a copy without those
 * directives, which graphql-js validates without throwing, and subscriptionRootRule refuses the copy with the code
 * validation gives. The copy is never executed or kept: it fails validation.
 */
export function subscriptionRootPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async validationDidStart(requestContext) {
          const document = requestContext.document;
          const conditional = new Set(conditionalSubscriptionRoots(document));
          if (conditional.size === 0) return;
          const stripped = visit(document, {
            enter: (node) => (conditional.has(node as SelectionNode) ? { ...node, directives: [] } : undefined),
          });
          // A variable read only by those directives would now be reported unused: the client never wrote that mistake.
          const used = new Set<string>();
          visit(stripped, { VariableDefinition: () => false, Variable: (node) => void used.add(node.name.value) });
          const copy = visit(stripped, {
            OperationDefinition: (node) => ({ ...node, variableDefinitions: node.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)) }),
          });
          withoutConditions.set(copy, [...conditional]);
          (requestContext as { document: DocumentNode }).document = copy;
        },
      };
    },
  };
}

/** Refuses the copies subscriptionRootPlugin validates in place of a client's document. */
export function subscriptionRootRule(context: ValidationContext): ASTVisitor {
  return {
    Document(node) {
      for (const selection of withoutConditions.get(node) ?? []) context.reportError(new GraphQLError(CONDITIONAL_SUBSCRIPTION_ROOT_MESSAGE, { nodes: selection }));
    },
  };
}
