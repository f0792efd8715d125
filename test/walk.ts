import { SessionsPageDocument, SessionsPageQuery, SessionsPageQueryVariables } from './generated/graphql';
import type { GraphQLAnswer, Stack } from './harness';

type Edge = SessionsPageQuery['sessions']['edges'][number];

/** Follows endCursor until hasNextPage is false, as a Relay client does; fails on any error. */
export async function walkAll(stack: Stack, variables: Omit<SessionsPageQueryVariables, 'after'>): Promise<{ edges: Edge[]; requests: number }> {
  const edges: Edge[] = [];
  let after: string | null = null;
  for (let requests = 1; requests <= 10_000; requests += 1) {
    const answer: GraphQLAnswer<SessionsPageQuery> = await stack.request(SessionsPageDocument, { ...variables, after });
    if (answer.body.errors || !answer.body.data) throw new Error(`walk failed: ${answer.text}`);
    const { edges: page, pageInfo } = answer.body.data.sessions;
    edges.push(...page);
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    if (!pageInfo.hasNextPage) return { edges, requests };
    expect(pageInfo.endCursor).not.toBeNull();
    after = pageInfo.endCursor ?? null;
  }
  throw new Error('walk did not end');
}
