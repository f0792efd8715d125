import { ASTVisitor, GraphQLError, ValidationContext } from 'graphql';

/**
 * Fields whose resolvers read the per-request GatewayContext (its details, users and QoS
 * loaders, which call Zoom): a subscription's events execute without one, and shared by every
 * subscriber asking the same, so these are refused when subscribing rather than failing as
 * INTERNAL_SERVER_ERROR on each event. Keep in step with the @Ctx() field resolvers.
 */
export const CONTEXT_BOUND_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Session: ['sessionNumber', 'createdAt', 'totalMinutes', 'users'],
  SessionUser: ['qos'],
};

export function subscriptionFieldsRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const parent = context.getParentType();
      if (!parent || !(CONTEXT_BOUND_FIELDS[parent.name] ?? []).includes(node.name.value)) return;
      context.reportError(
        new GraphQLError(`\`${parent.name}.${node.name.value}\` is not served in subscriptions: query it over POST /graphql with the session's id.`, {
          nodes: node,
          extensions: { code: 'BAD_REQUEST' },
        }),
      );
    },
  };
}
