import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { WireSession } from '../zoom/wire';
import { Node } from './node.type';

/**
 * In the code, `id` is Zoom's session id, as every call inside a session needs it; the graph
 * serves it as `sessionId` (the name Zoom's webhooks and `SessionEvent.sessionId` give it), and
 * its `id` is the global id made from it (SessionResolver.id, node-id.ts).
 */
@ObjectType({ implements: Node, description: 'A Zoom Video SDK session, as Zoom\'s session list reports it.' })
export class Session implements Node {
  @Field(() => ID, { name: 'sessionId', description: 'Zoom\'s session ID, exactly as Zoom returns it (base64-like: may contain `/`, `+`, `=`): what `session(id:)` takes, and the federation key other subgraphs use.' }) id!: string;

  @Field(() => String, { description: 'The session name given when the session was joined.' }) sessionName!: string;

  @Field(() => String, { nullable: true, description: 'The session key set by the app that started the session, if any.' }) sessionKey!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the session started (UTC).' }) startTime!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the session ended (UTC); null while it is live.' }) endTime!: Date | null;

  @Field(() => String, { nullable: true, description: 'Length as Zoom sends it: "mm:ss" or "hh:mm:ss".' }) duration!: string | null;

  @Field(() => Int, { nullable: true, description: 'The same length in seconds; null when Zoom sent none or an unreadable one.' }) durationSeconds!: number | null;

  @Field(() => Int, { description: 'How many users joined the session, present or gone.' }) userCount!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'For a live session: the participants in it now (joined and not left), as the gateway\'s webhooks told it. Null for an ended session, and for a live one whose start the webhooks did not tell (it started before the gateway listened, or was read from Zoom\'s list: no webhooks configured, or the live state being rebuilt): Zoom\'s list gives no such count.',
  })
  participantsNow!: number | null;

  @Field(() => Boolean, { description: 'Whether anyone used VoIP audio.' }) hasVoip!: boolean;

  @Field(() => Boolean, { description: 'Whether anyone sent video.' }) hasVideo!: boolean;

  @Field(() => Boolean, { description: 'Whether anyone shared a screen.' }) hasScreenShare!: boolean;

  @Field(() => Boolean, { description: 'Whether the session was recorded.' }) hasRecording!: boolean;

  @Field(() => Boolean, { description: 'Whether anyone joined by phone (PSTN).' }) hasPstn!: boolean;

  @Field(() => Boolean, { description: 'Whether Zoom produced a session summary.' }) hasSessionSummary!: boolean;

  @Field(() => String, { nullable: true, description: 'Zoom\'s rating of audio quality (e.g. "good", "fair", "poor", "bad").' }) audioQuality!: string | null;

  @Field(() => String, { nullable: true, description: 'Zoom\'s rating of video quality.' }) videoQuality!: string | null;

  @Field(() => String, { nullable: true, description: 'Zoom\'s rating of screen-share quality.' }) screenShareQuality!: string | null;
}

/** "mm:ss" or "hh:mm:ss" (minutes may run past 59 in the short form) to seconds; null if unreadable. */
export function parseDurationSeconds(duration: string | null): number | null {
  if (duration === null) return null;
  const match = /^(?:(\d+):)?(\d+):(\d{2})$/.exec(duration.trim());
  if (!match) return null;
  const [hours, minutes, seconds] = [Number(match[1] ?? 0), Number(match[2]), Number(match[3])];
  if (seconds > 59 || (match[1] !== undefined && minutes > 59)) return null;
  return hours * 3600 + minutes * 60 + seconds;
}

/** Zoom sends "" as well as nothing for absent strings; the graph says null for both. */
function present(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** The gateway's own count on a session of its live state; anything else there (a page from Zoom) is no count. */
function participantsNowOf(wire: WireSession): number | null {
  const count = wire.gateway_participants_now;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
}

/** The one place where Zoom's wire shape becomes the graph's. */
export function toSession(wire: WireSession): Session {
  const endTime = present(wire.end_time);
  return {
    id: wire.id,
    sessionName: wire.session_name,
    sessionKey: present(wire.session_key),
    startTime: new Date(wire.start_time),
    endTime: endTime === null ? null : new Date(endTime),
    duration: present(wire.duration),
    durationSeconds: parseDurationSeconds(present(wire.duration)),
    userCount: wire.user_count,
    participantsNow: endTime === null ? participantsNowOf(wire) : null,
    hasVoip: wire.has_voip,
    hasVideo: wire.has_video,
    hasScreenShare: wire.has_screen_share,
    hasRecording: wire.has_recording,
    hasPstn: wire.has_pstn,
    hasSessionSummary: wire.has_session_summary,
    audioQuality: present(wire.audio_quality),
    videoQuality: present(wire.video_quality),
    screenShareQuality: present(wire.screen_share_quality),
  };
}
