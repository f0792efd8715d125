import 'reflect-metadata';
import { GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { SessionsResolver } from './sessions/sessions.resolver';

/** The one list of resolvers. */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [SessionsResolver], validate: false });
}

/** `schema.graphql` as committed: emitted from the classes, never edited by hand. */
export const SCHEMA_FILE_HEADER = '# Emitted by `npm run schema` from the type-graphql classes in src/. Do not edit by hand.\n\n';

export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${SCHEMA_FILE_HEADER}${printSchema(schema)}\n`;
}
