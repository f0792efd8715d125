import type { GraphQLResolveInfo } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from './request-context';
import { badUserInput } from '../errors';
import { nodesSelect } from './connection-selection';
import { encodeNodeId } from './node-id';
import { SessionDetailFields, sessionOfType, toSessionDetailFields } from './session-details';
import { isLookupableId } from './session-lookup';
import { sessionRefOf } from './session-ref';
import { SessionType } from './session-type.enum';
import { SessionUserConnection } from './session-user-connection.type';
import { DEFAULT_USERS_FIRST, sessionUsersConnection } from './session-users';
import { Session } from './session.type';
import { Cost, ConnectionSize } from './cost.directives';

@ArgsType()
export class SessionArgs {
  @Field(() => ID, { description: 'Zoom\'s session ID, exactly as Zoom returns it.' }) id!: string;

  @Field(() => SessionType, { nullable: true, defaultValue: SessionType.PAST, description: 'Whether the session has ended (PAST) or runs now (LIVE): Zoom needs to be told.' }) type!: SessionType | null;
}

/** The details of this session, once per request whoever asks; a session Zoom does not know is ZOOM_NOT_FOUND here. */
async function detailFields(session: Session, context: GatewayContext): Promise<SessionDetailFields> {
  return toSessionDetailFields((await context.details.load(sessionRefOf(session))).session);
}

@Resolver(() => Session)
export class SessionResolver {
  @Query(() => Session, { nullable: true, description: 'One session by its Zoom id; null when Zoom has no such session.' })
  // The details call (docs/zoom-contract.md §2); an id Zoom does not know as PAST is asked again as LIVE.
  @Cost(1)
  async session(@Args(() => SessionArgs) args: SessionArgs, @Ctx() context: GatewayContext): Promise<Session | null> {
    if (!isLookupableId(args.id)) throw badUserInput('`id` must be a Zoom session id: 1 to 256 characters, with no `.` or `..` path segment and no control character.', 'id');
    return sessionOfType(args.id, args.type ?? SessionType.PAST, context.details, context.liveSession);
  }

  // Named apart from the class's `id` (Zoom's, served as `sessionId`): type-graphql matches field resolvers to properties by method name.
  @FieldResolver(() => ID, { name: 'id', description: 'A global id (Relay): opaque, stable when the session ends, accepted by `node(id:)`. Zoom\'s own id is `sessionId`.' })
  globalId(@Root() session: Session): string {
    return encodeNodeId({ type: 'Session', sessionId: session.id });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Zoom\'s session number (11 digits, beyond Int). Fetched from session details, only when asked for.' })
  // One details call serves the three details fields of a session.
  @Cost(1)
  async sessionNumber(@Root() session: Session, @Ctx() context: GatewayContext): Promise<string | null> {
    return (await detailFields(session, context)).sessionNumber;
  }

  @FieldResolver(() => DateTimeResolver, { nullable: true, description: 'When Zoom created the session (from session details).' })
  // One details call serves the three details fields of a session.
  @Cost(1)
  async createdAt(@Root() session: Session, @Ctx() context: GatewayContext): Promise<Date | null> {
    return (await detailFields(session, context)).createdAt;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Minutes of the session summed over its participants (from session details).' })
  // One details call serves the three details fields of a session.
  @Cost(1)
  async totalMinutes(@Root() session: Session, @Ctx() context: GatewayContext): Promise<number | null> {
    return (await detailFields(session, context)).totalMinutes;
  }

  @FieldResolver(() => SessionUserConnection, { description: 'Who took part, in Zoom\'s order; follow `pageInfo.endCursor` with `after`.' })
  // One participants call per page of 300 (docs/zoom-contract.md §2).
  @Cost(1)
  @ConnectionSize(DEFAULT_USERS_FIRST)
  users(
    @Root() session: Session,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_USERS_FIRST }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SessionUserConnection> {
    return sessionUsersConnection(sessionRefOf(session), { first: first ?? DEFAULT_USERS_FIRST, after }, context.users, nodesSelect(info, 'qos'));
  }
}
