import { BREAK, DirectiveNode, DocumentNode, OperationDefinitionNode, ValueNode, valueFromASTUntyped, visit } from 'graphql';

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

/** An argument of a field or directive as execution would read it with these variables; undefined when it is not given. */
export function argumentValue(node: { readonly arguments?: readonly { readonly name: { readonly value: string }; readonly value: ValueNode }[] }, name: string, variables: Variables): unknown {
  const value = node.arguments?.find((arg) => arg.name.value === name)?.value;
  return value === undefined ? undefined : valueFromASTUntyped(value, variables as Record<string, unknown>);
}

/**
 * Whether `@skip` or `@include` keep a selection from running with these variables: what is under
 * it is neither priced nor checked, as it is never executed. A condition that cannot be read (a
 * variable left out, of the wrong type) keeps the selection: GraphQL refuses the request anyway.
 */
export function isExcluded(selection: { readonly directives?: readonly DirectiveNode[] }, variables: Variables): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = argumentValue(directive, 'if', variables);
    if (name === 'skip' && condition === true) return true;
    if (name === 'include' && condition === false) return true;
  }
  return false;
}

const conditional = new WeakMap<DocumentNode, boolean>();

/** Whether any selection of a document carries `@skip` or `@include` (what is priced then depends on the variables). */
export function hasConditions(document: DocumentNode): boolean {
  let found = conditional.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Directive(node) {
        if (node.name.value === 'skip' || node.name.value === 'include') {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
    conditional.set(document, found);
  }
  return found;
}
