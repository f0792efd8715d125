import 'reflect-metadata';
import { GraphQLSchema, isObjectType, printSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { SessionsResolver } from './sessions/sessions.resolver';

/**
 * type-graphql wraps every field in a resolver, even a plain property with no field resolver and
 * no middleware; graphql-js's default resolver reads the same property without the wrapper, which
 * matters at 17 fields times 300 sessions. Fields that do have a resolver or middleware keep it (the
 * gateway sets no global middlewares; adding one means dropping this).
 */
function usePlainPropertyResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const resolved = new Set(storage.fieldResolvers.filter((resolver) => resolver.getObjectType?.() === objectType.target).map((resolver) => resolver.schemaName));
    const fields = type.getFields();
    for (const field of objectType.fields ?? []) {
      if (resolved.has(field.schemaName) || (field.middlewares?.length ?? 0) > 0 || !fields[field.schemaName]) continue;
      fields[field.schemaName].resolve = undefined;
    }
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
