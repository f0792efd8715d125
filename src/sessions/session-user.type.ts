import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { isTimestamp } from '../zoom/wire';
import type { WireSessionUser } from '../zoom/wire-inside';
import { Node } from './node.type';

/**
 * In the code, `id` is Zoom's participant id; the graph serves it as `userId` (the name of
 * Zoom's own path parameter, `/users/{userId}/qos`), and its `id` is the global id made from the
 * session, its type and the participation (SessionUserResolver.id, node-id.ts).
 */
@ObjectType({ implements: Node, description: 'One participant of a session, as Zoom\'s participants report lists them (a rejoin is a second entry).' })
export class SessionUser implements Node {
  @Field(() => ID, { name: 'userId', description: 'Zoom\'s participant id: valid within this session only, and the same for a rejoin (`id` tells them apart).' }) id!: string;

  @Field(() => String, { description: 'The name the participant joined with.' }) name!: string;

  @Field(() => String, { nullable: true, description: 'The user key the app gave the participant, if any.' }) userKey!: string | null;

  @Field(() => String, { nullable: true, description: 'Zoom\'s id of this participation.' }) participantUuid!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the participant joined (UTC).' }) joinTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the participant left (UTC); null while still in the session.' }) leaveTime!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the participant left, as Zoom words it.' }) leaveReason!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. Phone, H.323/SIP, Windows, Mac, iOS, Android.' }) device!: string | null;

  @Field(() => String, { nullable: true, description: 'The SDK or client the participant used.' }) client!: string | null;

  @Field(() => String, { nullable: true }) os!: string | null;

  @Field(() => String, { nullable: true }) osVersion!: string | null;

  @Field(() => String, { nullable: true }) browserName!: string | null;

  @Field(() => String, { nullable: true }) browserVersion!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. Wired, Wifi, PPP, Cellular, Others.' }) networkType!: string | null;

  @Field(() => String, { nullable: true, description: 'The Zoom data center that served the participant.' }) dataCenter!: string | null;

  @Field(() => String, { nullable: true }) connectionType!: string | null;

  @Field(() => String, { nullable: true }) microphone!: string | null;

  @Field(() => String, { nullable: true }) speaker!: string | null;

  @Field(() => String, { nullable: true }) camera!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether this participant started the session.' }) isOriginalHost!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Zoom\'s rating: good, fair, poor or bad.' }) audioQuality!: string | null;

  @Field(() => String, { nullable: true }) videoQuality!: string | null;

  @Field(() => String, { nullable: true }) screenShareQuality!: string | null;

  @Field(() => String, { nullable: true, description: 'Personal data: null unless the gateway runs with GATEWAY_EXPOSE_PERSONAL_DATA=true.' }) ipAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'Personal data: null unless the gateway runs with GATEWAY_EXPOSE_PERSONAL_DATA=true.' }) location!: string | null;
}

/** Zoom sends "" as well as nothing for absent strings; every field may be absent (docs/zoom-contract.md §2). */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function time(value: unknown): Date | null {
  return typeof value === 'string' && value !== '' && isTimestamp(value) ? new Date(value) : null;
}

/** The one place where Zoom's participant becomes the graph's; personal data only when the operator allows it. */
export function toSessionUser(wire: WireSessionUser, exposePersonalData = false): SessionUser {
  return {
    id: text(wire.id) ?? text(wire.participant_uuid) ?? '',
    name: text(wire.name) ?? '',
    userKey: text(wire.user_key),
    participantUuid: text(wire.participant_uuid),
    joinTime: time(wire.join_time),
    leaveTime: time(wire.leave_time),
    leaveReason: text(wire.leave_reason),
    device: text(wire.device),
    client: text(wire.client),
    os: text(wire.os),
    osVersion: text(wire.os_version),
    browserName: text(wire.browser_name),
    browserVersion: text(wire.browser_version),
    networkType: text(wire.network_type),
    dataCenter: text(wire.data_center),
    connectionType: text(wire.connection_type),
    microphone: text(wire.microphone),
    speaker: text(wire.speaker),
    camera: text(wire.camera),
    isOriginalHost: typeof wire.is_original_host === 'boolean' ? wire.is_original_host : null,
    audioQuality: text(wire.audio_quality),
    videoQuality: text(wire.video_quality),
    screenShareQuality: text(wire.screen_share_quality),
    ipAddress: exposePersonalData ? text(wire.ip_address) : null,
    location: exposePersonalData ? text(wire.location) : null,
  };
}

/** Which participation this entry is: the participant's id and join time (a rejoin keeps the id, not the time). */
export interface Participation {
  readonly userId: string;
  readonly joinTime: string;
}

export function participationOf(wire: Pick<WireSessionUser, 'id' | 'participant_uuid' | 'join_time'>): Participation {
  return { userId: text(wire.id) ?? text(wire.participant_uuid) ?? '', joinTime: text(wire.join_time) ?? '' };
}

/** Which QoS entry belongs to a participant: see Participation. */
export function participationKey(wire: Pick<WireSessionUser, 'id' | 'participant_uuid' | 'join_time'>): string {
  const { userId, joinTime } = participationOf(wire);
  return `${userId}\u0000${joinTime}`;
}
