import 'reflect-metadata';
import { GraphQLSchema, isObjectType, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { SessionsResolver } from './sessions/sessions.resolver';

/**
 * Object types whose fields are plain properties (no field resolvers, no middlewares).
 * type-graphql still wraps each such field in a resolver; graphql-js's default resolver reads
 * the same property without the wrapper, which matters at 17 fields times 300 sessions.
 */
const PLAIN_OBJECT_TYPES = ['Session', 'SessionEdge', 'SessionConnection', 'PageInfo'];

function usePlainPropertyResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const name of PLAIN_OBJECT_TYPES) {
    const type = schema.getType(name);
    if (!isObjectType(type)) throw new Error(`schema has no object type ${name}`);
    for (const field of Object.values(type.getFields())) field.resolve = undefined;
  }
  return schema;
}

/** The one list of resolvers. */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return usePlainPropertyResolvers(await buildSchema({ resolvers: [SessionsResolver], validate: false }));
}

/** `schema.graphql` as committed: emitted from the classes, never edited by hand. */
export const SCHEMA_FILE_HEADER = '# Emitted by `npm run schema` from the type-graphql classes in src/. Do not edit by hand.\n\n';

export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${SCHEMA_FILE_HEADER}${printSchema(schema)}\n`;
}
