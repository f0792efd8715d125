import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import {
  ConstDirectiveNode,
  DocumentNode,
  GraphQLSchema,
  Kind,
  getNamedType,
  isEnumType,
  isObjectType,
  parse,
  valueFromAST,
  visit,
} from 'graphql';
import { createResolversMap } from 'type-graphql';
import type { GatewayContext } from '../sessions/request-context';
import { buildGatewaySchema, printGatewaySdl } from '../schema';
import { badUserInput } from '../errors';
import { isLookupableId } from '../sessions/session-lookup';
import { decodeNodeId } from '../sessions/node-id';
import { hasDotSegment } from '../zoom/session-id';
import type { Session } from '../sessions/session.type';

/** The first Federation 2 version that composes the cost directives (`@cost`, `@listSize`); this subgraph uses those, `@key` and `@shareable`. */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.9';

/** What the subgraph imports from Federation: the cost directives come from it, so their definitions leave the printed SDL. */
const FEDERATION_IMPORTS = ['@key', '@shareable', '@cost', '@listSize'];

/**
 * Federation's directives on the public types. They live here, not on the classes, so that
 * schema.graphql stays the plain public schema.
 */
export const FEDERATION_TYPE_DIRECTIVES: Readonly<Record<string, string>> = {
  // An entity, by either id: other subgraphs extend a session by its Zoom id (`sessionId`, what they
  // hold from Zoom or webhooks) or by the global id a client gave them; `_entities` looks it up at Zoom.
  Session: '@key(fields: "sessionId") @key(fields: "id")',
  // Relay's PageInfo is defined by every subgraph with a connection; composition needs it shareable.
  PageInfo: '@shareable',
};

function parseDirectives(sdl: string): readonly ConstDirectiveNode[] {
  const [definition] = parse(`scalar Placeholder ${sdl}`).definitions;
  return definition.kind === Kind.SCALAR_TYPE_DEFINITION ? (definition.directives ?? []) : [];
}

/** The public schema as SDL, linked to federation, with the directives above on their types. */
export function subgraphTypeDefs(schema: GraphQLSchema): DocumentNode {
  const publicSdl = parse(printGatewaySdl(schema));
  const linked = parse(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ${JSON.stringify(FEDERATION_IMPORTS)})`);
  const imported = new Set(FEDERATION_IMPORTS.map((name) => name.slice(1)));
  const withDirectives = visit(publicSdl, {
    DirectiveDefinition(node) {
      return imported.has(node.name.value) ? null : undefined;
    },
    ObjectTypeDefinition(node) {
      const added = FEDERATION_TYPE_DIRECTIVES[node.name.value];
      return added === undefined ? undefined : { ...node, directives: [...(node.directives ?? []), ...parseDirectives(added)] };
    },
  });
  return { kind: Kind.DOCUMENT, definitions: [...linked.definitions, ...withDirectives.definitions] };
}

/** The Zoom id a representation names: its `sessionId`, or the one inside its global `id`; an Error when its `id` names no session. */
function zoomIdOf(reference: { id?: unknown; sessionId?: unknown }): unknown {
  if (reference.sessionId !== undefined || typeof reference.id !== 'string') return reference.sessionId;
  const key = decodeNodeId(reference.id);
  if (typeof key !== 'string' && key.type === 'Session') return key.sessionId;
  return badUserInput('A Session representation\'s `id` must be a Session\'s global id (or give `sessionId`, Zoom\'s id).', 'representations');
}

/** `_entities` for a Session: the request's lookup loader; an id Zoom does not know is null, one that would leave the details path is refused. */
function resolveSessionReference(reference: { id?: unknown; sessionId?: unknown }, context: GatewayContext): Promise<Session | null> | null {
  const id = zoomIdOf(reference);
  // Rejected, not thrown: a throw here would fail the whole `_entities` list, not this entity alone.
  if (id instanceof Error) return Promise.reject(id);
  if (typeof id === 'string' && hasDotSegment(id)) return Promise.reject(badUserInput('A Session representation\'s `sessionId` must be a Zoom session id, with no `.` or `..` path segment.', 'representations'));
  return isLookupableId(id) ? context.sessionById.load(id) : null;
}

/**
 * @apollo/subgraph gives enum values their internal values (SessionType.LIVE is 'live') after the
 * SDL is built, so an argument's default still holds the value's name ('LIVE'), which the
 * resolvers would receive and introspection cannot print: read the defaults again.
 */
function rereadEnumDefaults(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      for (const argument of field.args) {
        const defaultValue = argument.astNode?.defaultValue;
        if (defaultValue === undefined || !isEnumType(getNamedType(argument.type))) continue;
        (argument as { defaultValue: unknown }).defaultValue = valueFromAST(defaultValue, argument.type);
      }
    }
  }
  return schema;
}

/**
 * The gateway as an Apollo Federation 2 subgraph: the same types and resolvers as
 * buildGatewaySchema (its SDL printed and rebuilt, resolvers carried over by type-graphql's
 * resolver map), plus `_service`, `_entities` and Session's reference resolver.
 */
export async function buildGatewaySubgraphSchema(): Promise<GraphQLSchema> {
  const schema = await buildGatewaySchema();
  const resolvers = createResolversMap(schema);
  const session = { ...resolvers.Session, __resolveReference: resolveSessionReference };
  const subgraph = buildSubgraphSchema([
    {
      typeDefs: subgraphTypeDefs(schema),
      // @apollo/subgraph's map type has no place for `__resolveReference`, which it reads nonetheless.
      resolvers: { ...resolvers, Session: session } as unknown as GraphQLResolverMap<GatewayContext>,
    },
  ]);
  return rereadEnumDefaults(subgraph);
}
