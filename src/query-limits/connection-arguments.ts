import { DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { sessionUsersArgsProblem } from '../sessions/session-users';
import { argumentValue, isExcluded } from './operation-variables';

/** What the arguments of nested connections are checked against before the operation runs. */
export interface ArgumentRules {
  readonly maxFirst: number;
  /** The key participant cursors are sealed with. */
  readonly cursorKey: Buffer;
}

type Variables = Readonly<Record<string, unknown>>;

/** `users(first:)` left out: the schema's default. */
const USERS_DEFAULT_FIRST = 30;

/**
 * The first participants connection (`Session.users`) whose `first` or `after` no execution would
 * take, as the resolver would refuse it. The resolver runs only once its session is read, which
 * costs a Zoom call (a List call under `sessions`, a details call under `session(id)`), so the
 * operation is refused before it runs. What needs the session (a cursor of another session) is
 * still the resolver's to check; a value of the wrong type is GraphQL's to refuse when it coerces.
 */
export function connectionArgumentsError(document: DocumentNode, operation: OperationDefinitionNode, variables: Variables, rules: ArgumentRules): GraphQLError | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const seen = new Set<SelectionSetNode>();
  const pending: SelectionSetNode[] = [operation.selectionSet];
  for (let set = pending.pop(); set !== undefined; set = pending.pop()) {
    // Each selection set once, however often fragments spread it (a spread left out by @skip is not read at all).
    if (seen.has(set)) continue;
    seen.add(set);
    for (const selection of set.selections) {
      if (isExcluded(selection, variables)) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push(fragment.selectionSet);
        continue;
      }
      if (selection.kind === Kind.FIELD && selection.name.value === 'users') {
        const first = argumentValue(selection, 'first', variables) ?? USERS_DEFAULT_FIRST;
        const after = argumentValue(selection, 'after', variables);
        if (typeof first === 'number' && (after === undefined || after === null || typeof after === 'string')) {
          const problem = sessionUsersArgsProblem({ first, after: after ?? undefined }, rules.cursorKey, rules.maxFirst);
          // Refused before execution, the request's error: a client error (400), as a limit's is.
          if (problem instanceof GraphQLError) return new GraphQLError(problem.message, { extensions: { ...problem.extensions, http: { status: 400 } } });
        }
      }
      if (selection.selectionSet) pending.push(selection.selectionSet);
    }
  }
  return undefined;
}
