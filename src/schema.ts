import 'reflect-metadata';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, specifiedDirectives } from 'graphql';
import { buildSchemaWithFastResolvers } from './fast-resolvers';
import { DailyUsageResolver } from './sessions/daily-usage.resolver';
import { SessionUserResolver } from './sessions/session-user.resolver';
import { SessionResolver } from './sessions/session.resolver';
import { SessionEventsResolver } from './live/session-events.resolver';
import { topiclessPubSub } from './live/topicless.pubsub';
import { SessionsResolver } from './sessions/sessions.resolver';
import { NodeResolver } from './sessions/node.resolver';
import { COST_DIRECTIVES } from './sessions/cost.directives';

/**
 * The one list of resolvers. An `authChecker` or `globalMiddlewares` added to the options below
 * is honoured: the fast resolvers step aside wherever they would skip one (see fast-resolvers).
 */
const RESOLVERS = [SessionsResolver, SessionResolver, SessionUserResolver, NodeResolver, DailyUsageResolver, SessionEventsResolver] as const;

export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchemaWithFastResolvers({ resolvers: RESOLVERS, validate: false, pubSub: topiclessPubSub, directives: [...specifiedDirectives, ...COST_DIRECTIVES] });
}

/** `schema.graphql` as committed: emitted from the classes, never edited by hand. */
export const SCHEMA_FILE_HEADER = '# Emitted by `npm run schema` from the type-graphql classes in src/. Do not edit by hand.\n\n';

/** The schema as SDL with the directives applied to its fields (`@cost`, `@listSize`), which graphql's own printSchema leaves out. */
export function printGatewaySdl(schema: GraphQLSchema): string {
  return printSchemaWithDirectives(schema);
}

export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${SCHEMA_FILE_HEADER}${printGatewaySdl(schema)}\n`;
}
