import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: an object with a global id that `node(id:)` finds again (node-id.ts). */
@InterfaceType({
  description: 'An object with a global id, as Relay\'s Global Object Identification asks: `node(id:)` fetches it again.',
  // The graph's objects are plain objects, not class instances: a session is told by its name field (type names, not classes, so this file imports neither).
  resolveType: (value: object) => ('sessionName' in value ? 'Session' : 'SessionUser'),
})
export abstract class Node {
  @Field(() => ID, { description: 'A global id: opaque, unique across types, accepted by `node(id:)`.' }) id!: string;
}
