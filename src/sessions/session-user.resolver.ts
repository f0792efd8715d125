import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from './request-context';
import { SessionUserQos } from './session-user-qos.type';
import { SessionUser } from './session-user.type';
import type { SessionUserNode } from './session-users';

@Resolver(() => SessionUser)
export class SessionUserResolver {
  @FieldResolver(() => SessionUserQos, { nullable: true, description: 'Quality over time; one walk of the session\'s QoS list serves all its participants. Null when Zoom has none for this participant.' })
  qos(@Root() user: SessionUserNode, @Ctx() context: GatewayContext): Promise<SessionUserQos | null> | null {
    return user.place === undefined ? null : context.qos.load(user.place);
  }
}
