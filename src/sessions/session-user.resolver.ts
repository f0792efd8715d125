import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from './request-context';
import { encodeNodeId } from './node-id';
import { SessionUserQos } from './session-user-qos.type';
import { SessionUser } from './session-user.type';
import { Cost } from './cost.directives';
import type { SessionUserNode } from './session-users';

@Resolver(() => SessionUser)
export class SessionUserResolver {
  // Named apart from the class's `id` (Zoom's, served as `userId`): type-graphql matches field resolvers to properties by method name.
  @FieldResolver(() => ID, { name: 'id', description: 'A global id (Relay): names the session, its type and this participation; accepted by `node(id:)`. Zoom\'s own id is `userId`.' })
  globalId(@Root() user: SessionUserNode): string {
    // Every participant the graph serves is placed (session-users.ts, session-event.type.ts); one that is not is a bug, not input.
    if (user.place === undefined) throw new Error('a participant without its session has no global id');
    const { session, identity } = user.place;
    return encodeNodeId({ type: 'SessionUser', session, userId: identity.userId, joinTime: identity.joinTime });
  }

  @FieldResolver(() => SessionUserQos, { nullable: true, description: 'Quality over time; one walk of the session\'s QoS list serves all its participants. Null when Zoom has none for this participant.' })
  // One QoS call per page of 10 participants (docs/zoom-contract.md §2), shared by the session's participants.
  @Cost(1)
  qos(@Root() user: SessionUserNode, @Ctx() context: GatewayContext): Promise<SessionUserQos | null> | null {
    return user.place === undefined ? null : context.qos.load(user.place);
  }
}
