import { OperationDefinitionNode, valueFromASTUntyped } from 'graphql';

type Variables = Readonly<Record<string, unknown>>;

/**
 * The variables as execution will see them, as far as a price depends on them: a variable the
 * request leaves out takes its default from the operation (`query($first: Int = 300)`), which
 * the raw request does not hold. Values given stay as sent (a date stays its string); a single
 * value where a list is expected is wrapped by whoever reads a list argument (nodeKeysOf).
 * Only the request's own properties count, on an object without a prototype: a variable named
 * `constructor` or `toString` must read as what was sent or its default, as graphql-js reads it,
 * never as a member of Object.prototype (which priced `$constructor: Int = 300` as one page).
 */
export function effectiveVariables(operation: OperationDefinitionNode, variables: Variables): Variables {
  const effective: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of Object.keys(variables)) effective[name] = variables[name];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue !== undefined && effective[name] === undefined) effective[name] = valueFromASTUntyped(definition.defaultValue, {});
  }
  return effective;
}
