/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DashboardDailyUsage($from: Date!, $to: Date!) {\n  dailyUsage(from: $from, to: $to) {\n    date\n    sessions\n    users\n    sessionMinutes\n  }\n}": typeof types.DashboardDailyUsageDocument,
    "subscription DashboardLiveSessions {\n  liveSessions {\n    ...DashboardSessionRow\n  }\n}\n\nsubscription DashboardSessionEvents {\n  sessionEvents(types: [SESSION_STARTED, SESSION_ENDED, USER_JOINED, USER_LEFT]) {\n    type\n    occurredAt\n    sessionId\n    session {\n      id\n      sessionId\n      sessionName\n    }\n    user {\n      id\n      userId\n      name\n    }\n  }\n}": typeof types.DashboardLiveSessionsDocument,
    "fragment DashboardSessionRow on Session {\n  id\n  sessionId\n  sessionName\n  sessionKey\n  startTime\n  endTime\n  durationSeconds\n  userCount\n  participantsNow\n  hasVideo\n  hasScreenShare\n  hasRecording\n  hasPstn\n  audioQuality\n  videoQuality\n  screenShareQuality\n}": typeof types.DashboardSessionRowFragmentDoc,
    "query DashboardSession($id: ID!, $type: SessionType, $first: Int, $after: String) {\n  session(id: $id, type: $type) {\n    id\n    sessionId\n    sessionName\n    sessionKey\n    sessionNumber\n    startTime\n    endTime\n    durationSeconds\n    totalMinutes\n    userCount\n    audioQuality\n    videoQuality\n    screenShareQuality\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          userId\n          name\n          device\n          os\n          networkType\n          joinTime\n          leaveTime\n          audioQuality\n          videoQuality\n          qos {\n            samples {\n              dateTime\n              audioInput {\n                ...DashboardQosMetrics\n              }\n              audioOutput {\n                ...DashboardQosMetrics\n              }\n              videoInput {\n                ...DashboardQosMetrics\n              }\n              videoOutput {\n                ...DashboardQosMetrics\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n}\n\nfragment DashboardQosMetrics on QosMetrics {\n  latencyMs\n  jitterMs\n  avgLossPercent\n}": typeof types.DashboardSessionDocument,
    "query DashboardSessions($type: SessionType!, $from: Date!, $to: Date!, $first: Int!, $after: String, $sessionKey: String, $sessionName: String) {\n  sessions(\n    type: $type\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n    sessionKey: $sessionKey\n    sessionName: $sessionName\n  ) {\n    edges {\n      cursor\n      node {\n        ...DashboardSessionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n}": typeof types.DashboardSessionsDocument,
};
const documents: Documents = {
    "query DashboardDailyUsage($from: Date!, $to: Date!) {\n  dailyUsage(from: $from, to: $to) {\n    date\n    sessions\n    users\n    sessionMinutes\n  }\n}": types.DashboardDailyUsageDocument,
    "subscription DashboardLiveSessions {\n  liveSessions {\n    ...DashboardSessionRow\n  }\n}\n\nsubscription DashboardSessionEvents {\n  sessionEvents(types: [SESSION_STARTED, SESSION_ENDED, USER_JOINED, USER_LEFT]) {\n    type\n    occurredAt\n    sessionId\n    session {\n      id\n      sessionId\n      sessionName\n    }\n    user {\n      id\n      userId\n      name\n    }\n  }\n}": types.DashboardLiveSessionsDocument,
    "fragment DashboardSessionRow on Session {\n  id\n  sessionId\n  sessionName\n  sessionKey\n  startTime\n  endTime\n  durationSeconds\n  userCount\n  participantsNow\n  hasVideo\n  hasScreenShare\n  hasRecording\n  hasPstn\n  audioQuality\n  videoQuality\n  screenShareQuality\n}": types.DashboardSessionRowFragmentDoc,
    "query DashboardSession($id: ID!, $type: SessionType, $first: Int, $after: String) {\n  session(id: $id, type: $type) {\n    id\n    sessionId\n    sessionName\n    sessionKey\n    sessionNumber\n    startTime\n    endTime\n    durationSeconds\n    totalMinutes\n    userCount\n    audioQuality\n    videoQuality\n    screenShareQuality\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          userId\n          name\n          device\n          os\n          networkType\n          joinTime\n          leaveTime\n          audioQuality\n          videoQuality\n          qos {\n            samples {\n              dateTime\n              audioInput {\n                ...DashboardQosMetrics\n              }\n              audioOutput {\n                ...DashboardQosMetrics\n              }\n              videoInput {\n                ...DashboardQosMetrics\n              }\n              videoOutput {\n                ...DashboardQosMetrics\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n}\n\nfragment DashboardQosMetrics on QosMetrics {\n  latencyMs\n  jitterMs\n  avgLossPercent\n}": types.DashboardSessionDocument,
    "query DashboardSessions($type: SessionType!, $from: Date!, $to: Date!, $first: Int!, $after: String, $sessionKey: String, $sessionName: String) {\n  sessions(\n    type: $type\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n    sessionKey: $sessionKey\n    sessionName: $sessionName\n  ) {\n    edges {\n      cursor\n      node {\n        ...DashboardSessionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n}": types.DashboardSessionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardDailyUsage($from: Date!, $to: Date!) {\n  dailyUsage(from: $from, to: $to) {\n    date\n    sessions\n    users\n    sessionMinutes\n  }\n}"): (typeof documents)["query DashboardDailyUsage($from: Date!, $to: Date!) {\n  dailyUsage(from: $from, to: $to) {\n    date\n    sessions\n    users\n    sessionMinutes\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription DashboardLiveSessions {\n  liveSessions {\n    ...DashboardSessionRow\n  }\n}\n\nsubscription DashboardSessionEvents {\n  sessionEvents(types: [SESSION_STARTED, SESSION_ENDED, USER_JOINED, USER_LEFT]) {\n    type\n    occurredAt\n    sessionId\n    session {\n      id\n      sessionId\n      sessionName\n    }\n    user {\n      id\n      userId\n      name\n    }\n  }\n}"): (typeof documents)["subscription DashboardLiveSessions {\n  liveSessions {\n    ...DashboardSessionRow\n  }\n}\n\nsubscription DashboardSessionEvents {\n  sessionEvents(types: [SESSION_STARTED, SESSION_ENDED, USER_JOINED, USER_LEFT]) {\n    type\n    occurredAt\n    sessionId\n    session {\n      id\n      sessionId\n      sessionName\n    }\n    user {\n      id\n      userId\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment DashboardSessionRow on Session {\n  id\n  sessionId\n  sessionName\n  sessionKey\n  startTime\n  endTime\n  durationSeconds\n  userCount\n  participantsNow\n  hasVideo\n  hasScreenShare\n  hasRecording\n  hasPstn\n  audioQuality\n  videoQuality\n  screenShareQuality\n}"): (typeof documents)["fragment DashboardSessionRow on Session {\n  id\n  sessionId\n  sessionName\n  sessionKey\n  startTime\n  endTime\n  durationSeconds\n  userCount\n  participantsNow\n  hasVideo\n  hasScreenShare\n  hasRecording\n  hasPstn\n  audioQuality\n  videoQuality\n  screenShareQuality\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardSession($id: ID!, $type: SessionType, $first: Int, $after: String) {\n  session(id: $id, type: $type) {\n    id\n    sessionId\n    sessionName\n    sessionKey\n    sessionNumber\n    startTime\n    endTime\n    durationSeconds\n    totalMinutes\n    userCount\n    audioQuality\n    videoQuality\n    screenShareQuality\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          userId\n          name\n          device\n          os\n          networkType\n          joinTime\n          leaveTime\n          audioQuality\n          videoQuality\n          qos {\n            samples {\n              dateTime\n              audioInput {\n                ...DashboardQosMetrics\n              }\n              audioOutput {\n                ...DashboardQosMetrics\n              }\n              videoInput {\n                ...DashboardQosMetrics\n              }\n              videoOutput {\n                ...DashboardQosMetrics\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n}\n\nfragment DashboardQosMetrics on QosMetrics {\n  latencyMs\n  jitterMs\n  avgLossPercent\n}"): (typeof documents)["query DashboardSession($id: ID!, $type: SessionType, $first: Int, $after: String) {\n  session(id: $id, type: $type) {\n    id\n    sessionId\n    sessionName\n    sessionKey\n    sessionNumber\n    startTime\n    endTime\n    durationSeconds\n    totalMinutes\n    userCount\n    audioQuality\n    videoQuality\n    screenShareQuality\n    users(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          userId\n          name\n          device\n          os\n          networkType\n          joinTime\n          leaveTime\n          audioQuality\n          videoQuality\n          qos {\n            samples {\n              dateTime\n              audioInput {\n                ...DashboardQosMetrics\n              }\n              audioOutput {\n                ...DashboardQosMetrics\n              }\n              videoInput {\n                ...DashboardQosMetrics\n              }\n              videoOutput {\n                ...DashboardQosMetrics\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n}\n\nfragment DashboardQosMetrics on QosMetrics {\n  latencyMs\n  jitterMs\n  avgLossPercent\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DashboardSessions($type: SessionType!, $from: Date!, $to: Date!, $first: Int!, $after: String, $sessionKey: String, $sessionName: String) {\n  sessions(\n    type: $type\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n    sessionKey: $sessionKey\n    sessionName: $sessionName\n  ) {\n    edges {\n      cursor\n      node {\n        ...DashboardSessionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n}"): (typeof documents)["query DashboardSessions($type: SessionType!, $from: Date!, $to: Date!, $first: Int!, $after: String, $sessionKey: String, $sessionName: String) {\n  sessions(\n    type: $type\n    from: $from\n    to: $to\n    first: $first\n    after: $after\n    sessionKey: $sessionKey\n    sessionName: $sessionName\n  ) {\n    edges {\n      cursor\n      node {\n        ...DashboardSessionRow\n      }\n    }\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;