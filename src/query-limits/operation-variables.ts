import { OperationDefinitionNode, valueFromASTUntyped } from 'graphql';

type Variables = Readonly<Record<string, unknown>>;

/**
 * The variables as execution will see them, as far as a price depends on them: a variable the
 * request leaves out takes its default from the operation (`query($first: Int = 300)`), which
 * the raw request does not hold. Values given stay as sent (a date stays its string); a single
 * value where a list is expected is wrapped by whoever reads a list argument (nodeKeysOf).
 */
export function effectiveVariables(operation: OperationDefinitionNode, variables: Variables): Variables {
  const defaults = (operation.variableDefinitions ?? []).filter((definition) => definition.defaultValue !== undefined && variables[definition.variable.name.value] === undefined);
  if (defaults.length === 0) return variables;
  const effective: Record<string, unknown> = { ...variables };
  for (const definition of defaults) effective[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue!, {});
  return effective;
}
