/**
 * Relay sources, compiled by relay-compiler against ../../schema.graphql in test/integration/relay.test.ts.
 * Relay's Babel plugin replaces these tags; nothing here runs.
 */
declare function graphql(strings: TemplateStringsArray): unknown;

/** A paginated list over the `sessions` connection, as a Relay app writes it (`usePaginationFragment`). */
export const SessionsListFragment = graphql`
  fragment SessionsList_query on Query
  @argumentDefinitions(
    type: { type: "SessionType", defaultValue: PAST }
    from: { type: "Date!" }
    to: { type: "Date!" }
    count: { type: "Int", defaultValue: 30 }
    cursor: { type: "String" }
    sessionName: { type: "String" }
  )
  @refetchable(queryName: "SessionsListPaginationQuery") {
    sessions(type: $type, from: $from, to: $to, first: $count, after: $cursor, sessionName: $sessionName)
      @connection(key: "SessionsList_sessions", filters: ["type", "from", "to", "sessionName"]) {
      edges {
        cursor
        node {
          id
          sessionId
          sessionName
          startTime
          durationSeconds
          userCount
        }
      }
    }
  }
`;

export const SessionsListQuery = graphql`
  query SessionsListQuery($from: Date!, $to: Date!) {
    ...SessionsList_query @arguments(from: $from, to: $to)
  }
`;
