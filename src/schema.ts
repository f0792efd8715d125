import 'reflect-metadata';
import { GraphQLSchema, isObjectType, printSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import type { ResolverMetadata } from 'type-graphql/build/typings/metadata/definitions/resolver-metadata';
import { SessionEventsResolver } from './live/session-events.resolver';
import { topiclessPubSub } from './live/topicless.pubsub';
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

type ParamKind = NonNullable<ResolverMetadata['params']>[number]['kind'];
/** What a query method may take to be called directly: the args as graphql-js gives them, and the whole context. */
const DIRECT_PARAMS: ReadonlySet<ParamKind> = new Set<ParamKind>(['args', 'context']);

/**
 * type-graphql calls a query's method through a wrapper that finds the args class, copies the
 * args into an instance, validates them in a promise (a no-op here: the schema is built with
 * `validate: false`) and awaits it all, about 4% of a cached request. A query method that takes
 * only `@Args()` and the whole `@Ctx()`, with no middleware or roles, is called directly, on one
 * instance of its class as type-graphql's default container would make; its args are then
 * graphql-js's object, not an instance of the args class, so such methods only read fields.
 */
function callQueriesDirectly(schema: GraphQLSchema, resolvers: readonly Function[]): GraphQLSchema {
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  const instances = new Map<Function, Record<string, (...params: unknown[]) => unknown>>();
  for (const query of getMetadataStorage().queries) {
    const params = [...(query.params ?? [])].sort((a, b) => a.index - b.index);
    const direct =
      params.every((param) => DIRECT_PARAMS.has(param.kind) && !('propertyName' in param && param.propertyName !== undefined) && !('validateSettings' in param && param.validateSettings)) &&
      (query.middlewares?.length ?? 0) === 0 &&
      query.roles === undefined &&
      resolvers.includes(query.target) &&
      query.target.length === 0;
    const field = queryFields[query.schemaName];
    if (!direct || !field) continue;
    let instance = instances.get(query.target);
    if (!instance) instances.set(query.target, (instance = new (query.target as new () => Record<string, (...params: unknown[]) => unknown>)()));
    const target = instance;
    const { methodName } = query;
    field.resolve = (_root, args, context) => target[methodName](...params.map((param) => (param.kind === 'args' ? args : context)));
  }
  return schema;
}

/** The one list of resolvers. */
const RESOLVERS = [SessionsResolver, SessionEventsResolver] as const;

export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  return callQueriesDirectly(usePlainPropertyResolvers(await buildSchema({ resolvers: RESOLVERS, validate: false, pubSub: topiclessPubSub })), RESOLVERS);
}

/** `schema.graphql` as committed: emitted from the classes, never edited by hand. */
export const SCHEMA_FILE_HEADER = '# Emitted by `npm run schema` from the type-graphql classes in src/. Do not edit by hand.\n\n';

export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${SCHEMA_FILE_HEADER}${printSchema(schema)}\n`;
}
