/**
 * Relay sources, compiled by relay-compiler against ../../schema.graphql in test/integration/relay.test.ts.
 * Relay's Babel plugin replaces these tags; nothing here runs.
 */
declare function graphql(strings: TemplateStringsArray): unknown;

/** A session's card, refetched on its own by its global id (`useRefetchableFragment`): needs `Node` and `node(id:)`. */
export const SessionCardFragment = graphql`
  fragment SessionCard_session on Session @refetchable(queryName: "SessionCardRefetchQuery") {
    id
    sessionId
    sessionName
    startTime
    endTime
    userCount
    sessionNumber
  }
`;

/** A participant's row, refetched on its own: a participant's global id carries its session. */
export const SessionCardUserFragment = graphql`
  fragment SessionCard_user on SessionUser @refetchable(queryName: "SessionCardUserRefetchQuery") {
    id
    userId
    name
    joinTime
    leaveTime
    device
    audioQuality
  }
`;

export const SessionCardQuery = graphql`
  query SessionCardQuery($from: Date!, $to: Date!) {
    sessions(type: PAST, from: $from, to: $to, first: 2) {
      nodes {
        ...SessionCard_session
        users(first: 3) {
          nodes {
            ...SessionCard_user
          }
        }
      }
    }
  }
`;
