import { Random, chance, mulberry32, pick, randomInt } from './prng';
import { SimSession, isLive, isoSeconds } from './dataset';

/** One participant as `GET /videosdk/sessions/{id}/users` sends it (docs/zoom-contract.md §2). */
export interface SimParticipant {
  id: string;
  name: string;
  user_key?: string;
  participant_uuid: string;
  device: string;
  client: string;
  os: string;
  os_version: string;
  browser_name?: string;
  browser_version?: string;
  ip_address: string;
  location: string;
  network_type: string;
  microphone: string;
  speaker: string;
  camera: string;
  data_center: string;
  connection_type: string;
  join_time: string;
  leave_time?: string;
  leave_reason?: string;
  is_original_host: boolean;
  audio_quality: string;
  video_quality: string;
  screen_share_quality: string;
}

export interface SimQosSample {
  date_time: string;
  audio_input: Record<string, string>;
  audio_output: Record<string, string>;
  video_input?: Record<string, string>;
  video_output?: Record<string, string>;
  as_input?: Record<string, string>;
  as_output?: Record<string, string>;
  cpu_usage: Record<string, string>;
  wifi_rssi?: Record<string, string>;
}

const FIRST_NAMES = ['Ada', 'Bo', 'Chen', 'Dana', 'Emeka', 'Fatima', 'Goran', 'Hana', 'Ivan', 'Jun', 'Kemal', 'Lena', 'Mateo', 'Noor', 'Olga', 'Priya', 'Quinn', 'Rafael', 'Sara', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoe'];
const LAST_NAMES = ['Lovelace', 'Nakamura', 'Okafor', 'Schmidt', 'García', 'Haddad', 'Kowalski', 'Rossi', 'Singh', 'Müller', 'Dubois', 'Costa'];
/** Zoom's device values (docs/zoom-contract.md §2), with the platform each implies. */
const DEVICES = [
  { device: 'Windows', os: 'Windows', versions: ['10', '11'], browser: true },
  { device: 'Mac', os: 'Mac OS', versions: ['14.6', '15.1'], browser: true },
  { device: 'iOS', os: 'iOS', versions: ['17.6', '18.1'], browser: false },
  { device: 'Android', os: 'Android', versions: ['13', '14'], browser: false },
  { device: 'Phone', os: 'PSTN', versions: [''], browser: false },
  { device: 'H.323/SIP', os: 'Room system', versions: [''], browser: false },
] as const;
const BROWSERS = [
  { name: 'Chrome', versions: ['130.0.6723.92', '131.0.6778.86'] },
  { name: 'Firefox', versions: ['132.0', '133.0'] },
  { name: 'Safari', versions: ['17.6', '18.1'] },
  { name: 'Edge', versions: ['131.0.2903.51'] },
];
const NETWORKS = ['Wifi', 'Wifi', 'Wired', 'Cellular', 'PPP', 'Others'];
const DATA_CENTERS = ['US (SC)', 'US (NY)', 'Germany (FR)', 'Netherlands (AM)', 'Japan (TY)', 'India (MB)'];
const LOCATIONS = ['Berlin (DE)', 'San Jose (US)', 'Lagos (NG)', 'Osaka (JP)', 'São Paulo (BR)', 'Pune (IN)', 'Kraków (PL)'];
const QUALITIES = ['good', 'good', 'good', 'fair', 'fair', 'poor', 'bad'];
const LEAVE_REASONS = ['left the session', 'left the session', 'host ended the session', 'connection lost', 'network issues'];
/**
 * Zoom samples QoS about once a minute per participant (docs/zoom-contract.md §2). The dataset's
 * figures come every five minutes from the session's own stream, for at most an hour; the minutes
 * between are drawn from a stream of their own, so that adding them changed nothing else the seed makes.
 */
const QOS_SAMPLE_MINUTES = 5;
const QOS_MAX_SAMPLES = 12;
const QOS_MINUTE_MS = 60_000;
/** Crowded sessions (hundreds of participants) keep the sparse samples: a minute each would make their QoS pages megabytes. */
const DENSE_QOS_MAX_USERS = 50;

function hash(text: string, seed: number): number {
  let value = seed >>> 0;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return value;
}

function durationMs(session: SimSession): number {
  return session.duration.split(':').reduce((total, part) => total * 60 + Number(part), 0) * 1000;
}

function metrics(random: Random, video: boolean): Record<string, string> {
  const group: Record<string, string> = {
    bitrate: `${video ? randomInt(random, 300, 1800) : randomInt(random, 20, 90)} kbps`,
    latency: `${randomInt(random, 20, 400)} ms`,
    jitter: `${randomInt(random, 0, 60)} ms`,
    avg_loss: `${(random() * 2).toFixed(1)}%`,
    max_loss: `${(random() * 8).toFixed(1)}%`,
  };
  if (video) {
    group.resolution = pick(random, ['640*360', '1280*720', '1920*1080']);
    group.frame_rate = `${randomInt(random, 10, 30)} fps`;
  }
  return group;
}

function qosSample(random: Random, at: number, session: SimSession, participant: SimParticipant, n: number): SimQosSample {
  const sample: SimQosSample = {
    date_time: isoSeconds(at),
    audio_input: metrics(random, false),
    audio_output: metrics(random, false),
    cpu_usage: { zoom_min_cpu_usage: `${randomInt(random, 1, 10)}%`, zoom_avg_cpu_usage: `${randomInt(random, 5, 30)}%`, zoom_max_cpu_usage: `${randomInt(random, 20, 80)}%`, system_max_cpu_usage: `${randomInt(random, 30, 95)}%` },
  };
  if (session.has_video && participant.camera !== '') {
    sample.video_input = metrics(random, true);
    sample.video_output = metrics(random, true);
  }
  if (session.has_screen_share && n === 0) {
    sample.as_input = metrics(random, true);
    sample.as_output = metrics(random, true);
  }
  if (participant.network_type === 'Wifi') sample.wifi_rssi = { max_rssi: `${randomInt(random, -70, -40)} dBm`, avg_rssi: `${randomInt(random, -75, -45)} dBm`, min_rssi: `${randomInt(random, -85, -55)} dBm`, rssi_unit: 'dBm' };
  return sample;
}

export interface SessionInside {
  participants: SimParticipant[];
  /** By participant, in the same order. */
  qos: SimQosSample[][];
}

/** The participants of a session and their QoS, the same on every call: derived from the session id and the seed. */
export function sessionInside(session: SimSession, seed: number): SessionInside {
  const random = mulberry32(hash(session.id, seed));
  const start = Date.parse(session.start_time);
  const live = isLive(session);
  const end = live ? start + durationMs(session) : Date.parse(session.end_time as string);
  const participants: SimParticipant[] = [];
  const qos: SimQosSample[][] = [];
  for (let n = 0; n < session.user_count; n++) {
    const platform = pick(random, DEVICES);
    const browser = platform.browser && chance(random, 0.6) ? pick(random, BROWSERS) : undefined;
    const joined = n === 0 ? start : start + Math.floor(random() * Math.max(1, (end - start) * 0.6));
    const stillThere = live && chance(random, 0.7);
    const left = stillThere ? undefined : Math.min(end, joined + 60_000 + Math.floor(random() * Math.max(1, end - joined)));
    const participant: SimParticipant = {
      id: `${16_778_240 + hash(`${session.id}#${n}`, seed) % 100_000_000}`,
      name: `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`,
      participant_uuid: Buffer.from(Array.from({ length: 16 }, () => randomInt(random, 0, 255))).toString('base64'),
      device: platform.device,
      client: browser ? 'Web SDK' : platform.device === 'Phone' ? 'PSTN' : 'Video SDK',
      os: platform.os,
      os_version: pick(random, platform.versions),
      ip_address: `203.0.113.${randomInt(random, 1, 254)}`,
      location: pick(random, LOCATIONS),
      network_type: platform.device === 'Phone' ? 'Others' : pick(random, NETWORKS),
      microphone: platform.device === 'Phone' ? '' : pick(random, ['Default - MacBook Pro Microphone', 'Headset (Jabra Evolve2 65)', 'Microphone Array (Realtek)']),
      speaker: platform.device === 'Phone' ? '' : pick(random, ['Default - MacBook Pro Speakers', 'Headset (Jabra Evolve2 65)', 'Speakers (Realtek)']),
      camera: session.has_video && platform.device !== 'Phone' ? pick(random, ['FaceTime HD Camera', 'Logitech C920', 'Front Camera']) : '',
      data_center: pick(random, DATA_CENTERS),
      connection_type: pick(random, ['UDP', 'UDP', 'TCP', 'SSL']),
      join_time: isoSeconds(joined),
      is_original_host: n === 0,
      audio_quality: session.has_voip ? pick(random, QUALITIES) : '',
      video_quality: session.has_video ? pick(random, QUALITIES) : '',
      screen_share_quality: session.has_screen_share ? pick(random, QUALITIES) : '',
    };
    if (chance(random, 0.7)) participant.user_key = `user-${hash(participant.name, seed) % 10_000}`;
    if (browser) {
      participant.browser_name = browser.name;
      participant.browser_version = pick(random, browser.versions);
    }
    if (left !== undefined) {
      participant.leave_time = isoSeconds(left);
      participant.leave_reason = pick(random, LEAVE_REASONS);
    }
    participants.push(participant);

    const until = left ?? end;
    const samples: SimQosSample[] = [];
    const between = session.user_count <= DENSE_QOS_MAX_USERS ? mulberry32(hash(`${session.id}#${n}#qos`, seed)) : undefined;
    const sampleAt = (stream: Random, at: number): SimQosSample => qosSample(stream, at, session, participant, n);
    for (let at = joined, drawn = 0; at <= until && drawn < QOS_MAX_SAMPLES; at += QOS_SAMPLE_MINUTES * QOS_MINUTE_MS, drawn++) {
      samples.push(sampleAt(random, at));
      for (let minute = 1; between && minute < QOS_SAMPLE_MINUTES && at + minute * QOS_MINUTE_MS <= until; minute++) samples.push(sampleAt(between, at + minute * QOS_MINUTE_MS));
    }
    qos.push(samples);
  }
  return { participants, qos };
}

/**
 * A session's inside as it stands at `nowMs`: who has joined so far, a leave only once it has
 * happened, QoS samples up to now. For a live session whose whole course is already drawn.
 */
export function insideAsOf(inside: SessionInside, nowMs: number): SessionInside {
  const participants: SimParticipant[] = [];
  const qos: SimQosSample[][] = [];
  inside.participants.forEach((participant, index) => {
    if (Date.parse(participant.join_time) > nowMs) return;
    const { leave_time: leaveTime, leave_reason: leaveReason, ...present } = participant;
    participants.push(leaveTime !== undefined && Date.parse(leaveTime) <= nowMs ? { ...present, leave_time: leaveTime, leave_reason: leaveReason } : present);
    qos.push(inside.qos[index].filter((sample) => Date.parse(sample.date_time) <= nowMs));
  });
  return { participants, qos };
}
