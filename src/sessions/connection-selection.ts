import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** The fields a selection set names, through inline fragments and fragment spreads. */
function fieldsOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): FieldNode[] {
  if (set === undefined) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return fieldsOf(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name)) return [];
    seen.add(name);
    return fieldsOf(fragments[name]?.selectionSet, fragments, seen);
  });
}

/**
 * Whether a connection field's nodes are asked for `field`, under `nodes` or `edges { node }`. Read from the
 * document, `@skip`/`@include` aside: a field they drop only makes the answer read more than it needed.
 */
export function nodesSelect(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, field: string): boolean {
  const seen = new Set<string>();
  const under = (nodes: FieldNode[], name: string): FieldNode[] =>
    nodes.filter((node) => node.name.value === name).flatMap((node) => fieldsOf(node.selectionSet, info.fragments, seen));
  const connection = info.fieldNodes.flatMap((node) => fieldsOf(node.selectionSet, info.fragments, seen));
  const nodes = [...under(connection, 'nodes'), ...under(under(connection, 'edges'), 'node')];
  return nodes.some((node) => node.name.value === field);
}
