import { ASTVisitor, GraphQLError, ValidationContext } from 'graphql';

/**
 * A mutation or subscription against a schema that has none is a bad document, not a server
 * fault: graphql-js 16 only notices at execution (graphql-js 17 adds this very rule).
 */
export function knownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      const root = node.operation === 'mutation' ? schema.getMutationType() : node.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
      if (!root) context.reportError(new GraphQLError(`This gateway has no ${node.operation}s: it serves queries only.`, { nodes: node }));
    },
  };
}
