import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';

/** A participant of a session (issue 11 defines the full type; this is its shape without `qos`). */
@ObjectType({ description: 'A participant of a session.' })
export class SessionUser {
  @Field(() => ID, { description: 'Zoom\'s user id, valid within this session only.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  userKey!: string | null;

  @Field(() => String, { nullable: true })
  participantUuid!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  joinTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Null while the participant is still in the session.' })
  leaveTime!: Date | null;

  @Field(() => String, { nullable: true })
  leaveReason!: string | null;

  @Field(() => String, { nullable: true })
  device!: string | null;

  @Field(() => String, { nullable: true })
  client!: string | null;

  @Field(() => String, { nullable: true })
  os!: string | null;

  @Field(() => String, { nullable: true })
  osVersion!: string | null;

  @Field(() => String, { nullable: true })
  browserName!: string | null;

  @Field(() => String, { nullable: true })
  browserVersion!: string | null;

  @Field(() => String, { nullable: true })
  networkType!: string | null;

  @Field(() => String, { nullable: true })
  dataCenter!: string | null;

  @Field(() => String, { nullable: true })
  connectionType!: string | null;

  @Field(() => String, { nullable: true })
  microphone!: string | null;

  @Field(() => String, { nullable: true })
  speaker!: string | null;

  @Field(() => String, { nullable: true })
  camera!: string | null;

  @Field(() => Boolean, { nullable: true })
  isOriginalHost!: boolean | null;

  @Field(() => String, { nullable: true })
  audioQuality!: string | null;

  @Field(() => String, { nullable: true })
  videoQuality!: string | null;

  @Field(() => String, { nullable: true })
  screenShareQuality!: string | null;

  @Field(() => String, { nullable: true, description: 'Personal data: null unless the gateway is configured to expose it.' })
  ipAddress!: string | null;

  @Field(() => String, { nullable: true, description: 'Personal data: null unless the gateway is configured to expose it.' })
  location!: string | null;
}
