import 'reflect-metadata';
import { GraphQLSchema, isObjectType } from 'graphql';
import { BuildSchemaOptions, buildSchema, getMetadataStorage } from 'type-graphql';
import type { FieldMetadata } from 'type-graphql/build/typings/metadata/definitions/field-metadata';
import type { ResolverMetadata } from 'type-graphql/build/typings/metadata/definitions/resolver-metadata';

/**
 * Two shortcuts past type-graphql's resolver wrappers, each taken only where the wrapper would
 * add nothing: a field or query with roles (`@Authorized`, on it or on its class), middlewares
 * (`@UseMiddleware`, on it or on its class), global middlewares, validation or a container of the
 * schema's options keeps type-graphql's own resolver. Reads type-graphql 2.0's metadata storage:
 * `buildSchema` builds a clone of it whose entries are the same objects, so `roles` and
 * `middlewares` are filled in on the global entries as well once the schema is built.
 * Justified by `npm run bench`, scenarios "cached `first: 30`" and "300-item page (cached)" of bench-http.
 */

/** What the wrapper would run around a field or query: nothing means the shortcut keeps the rules. */
function wrapsNothing(metadata: Pick<FieldMetadata | ResolverMetadata, 'roles' | 'middlewares'>): boolean {
  return metadata.roles === undefined && (metadata.middlewares?.length ?? 0) === 0;
}

function hasGlobalMiddlewares(options: BuildSchemaOptions): boolean {
  return (options.globalMiddlewares?.length ?? 0) > 0;
}

/**
 * type-graphql wraps every field in a resolver, even a plain property with no field resolver and
 * no middleware; graphql-js's default resolver reads the same property without the wrapper, which
 * matters at 17 fields times 300 sessions.
 */
function usePlainPropertyResolvers(schema: GraphQLSchema, options: BuildSchemaOptions): void {
  if (hasGlobalMiddlewares(options)) return;
  const storage = getMetadataStorage();
  const classesByName = new Map<string, number>();
  for (const objectType of storage.objectTypes) classesByName.set(objectType.name, (classesByName.get(objectType.name) ?? 0) + 1);
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    // Two classes of one name: which one built this type is not in the schema, so neither is trusted.
    if (!isObjectType(type) || classesByName.get(objectType.name) !== 1) continue;
    const resolved = new Set(storage.fieldResolvers.filter((resolver) => resolver.getObjectType?.() === objectType.target).map((resolver) => resolver.schemaName));
    const fields = type.getFields();
    for (const field of objectType.fields ?? []) {
      if (resolved.has(field.schemaName) || !wrapsNothing(field) || !fields[field.schemaName]) continue;
      // A field served under another name than its property's (`sessionId` from `id`): graphql-js's default resolver would read the wrong property.
      const property = field.name;
      fields[field.schemaName].resolve = property === field.schemaName ? undefined : (source: Record<string, unknown>) => source[property];
    }
  }
}

type ParamKind = NonNullable<ResolverMetadata['params']>[number]['kind'];
/** What a query method may take to be called directly: the args as graphql-js gives them, and the whole context. */
const DIRECT_PARAMS: ReadonlySet<ParamKind> = new Set<ParamKind>(['args', 'context']);

/** Validation and a container are what the wrapper does besides middlewares: with either, it stays. */
function mayCallQueriesDirectly(options: BuildSchemaOptions): boolean {
  return !hasGlobalMiddlewares(options) && (options.validate === undefined || options.validate === false) && options.validateFn === undefined && options.container === undefined;
}

/**
 * type-graphql calls a query's method through a wrapper that finds the args class, copies the
 * args into an instance, validates them in a promise (a no-op without validation) and awaits it
 * all, about 4% of a cached request. A query method that takes only `@Args()` and the whole
 * `@Ctx()`, with no middleware or roles, is called directly, on one instance of its class as
 * type-graphql's default container would make; its args are then graphql-js's object, not an
 * instance of the args class, so such methods only read fields.
 */
function callQueriesDirectly(schema: GraphQLSchema, options: BuildSchemaOptions): void {
  if (!mayCallQueriesDirectly(options)) return;
  const resolvers: readonly unknown[] = options.resolvers;
  const queryFields = schema.getQueryType()?.getFields() ?? {};
  const instances = new Map<Function, Record<string, (...params: unknown[]) => unknown>>();
  for (const query of getMetadataStorage().queries) {
    const params = [...(query.params ?? [])].sort((a, b) => a.index - b.index);
    const direct =
      params.every((param) => DIRECT_PARAMS.has(param.kind) && !('propertyName' in param && param.propertyName !== undefined) && !('validateSettings' in param && param.validateSettings)) &&
      wrapsNothing(query) &&
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
}

/** type-graphql's buildSchema, with its wrappers left out wherever they would run nothing. */
export async function buildSchemaWithFastResolvers(options: BuildSchemaOptions): Promise<GraphQLSchema> {
  const schema = await buildSchema(options);
  usePlainPropertyResolvers(schema, options);
  callQueriesDirectly(schema, options);
  return schema;
}
