import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from './request-context';
import { badUserInput } from '../errors';
import { NodeKey, decodeNodeId } from './node-id';
import { findNode } from './node-lookup';
import { Node } from './node.type';
import { Cost, ListOfAtMost } from './cost.directives';
import { DETAILS_TYPES_IN_ORDER } from './session-lookup';

/** Ids one `nodes` field may name; each is priced as its lookup (limits/heavy-cost.ts), so the call limit refuses far fewer. */
export const MAX_NODE_IDS = 100;

function parseNodeId(id: string, argument: string): NodeKey {
  const key = decodeNodeId(id);
  if (typeof key === 'string') throw badUserInput(`\`${argument}\` is not a global id of this gateway: ${key}. Use an \`id\` as a Session or SessionUser returned it.`, argument);
  return key;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'The Session or SessionUser a global `id` names (Relay\'s Global Object Identification); null when Zoom no longer has it.' })
  // A session found by its id alone: a details call per type asked (past, then live) until Zoom knows it.
  @Cost(DETAILS_TYPES_IN_ORDER.length)
  node(@Arg('id', () => ID) id: string, @Ctx() context: GatewayContext): Promise<Node | null> {
    return findNode(parseNodeId(id, 'id'), context);
  }

  @Query(() => [Node], { nullable: 'items', description: `The objects these global ids name, in their order (at most ${MAX_NODE_IDS}); null for one Zoom no longer has.` })
  @Cost(DETAILS_TYPES_IN_ORDER.length)
  @ListOfAtMost(MAX_NODE_IDS)
  nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: GatewayContext): Promise<Node | null>[] {
    if (ids.length > MAX_NODE_IDS) throw badUserInput(`\`ids\` names ${ids.length} objects; at most ${MAX_NODE_IDS} at once.`, 'ids');
    // Every id is read before the first lookup: a malformed one costs no Zoom call.
    const keys = ids.map((id, index) => parseNodeId(id, `ids[${index}]`));
    // One promise per item: a lookup that fails (past the call limit) is that item's null and error, not the list's.
    return keys.map((key) => findNode(key, context));
  }
}
