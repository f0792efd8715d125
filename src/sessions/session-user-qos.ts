import DataLoader from 'dataloader';
import type { WireQosUser } from '../zoom/wire-inside';
import { SessionQosPages, pageOrRewalk } from './session-user-pages';
import { SessionUserQos, sessionUserQosOf } from './session-user-qos.type';
import { participationKey } from './session-user.type';
import { SessionRef, insideKey } from './session-ref';
import type { UnknownMetricReport } from './unknown-metric-log';

export interface QosKey {
  readonly session: SessionRef;
  /** See participationKey: the participant's id and join time. */
  readonly participation: string;
}

export type SessionQosLoader = DataLoader<QosKey, SessionUserQos | null, string>;

const idOf = (participation: string): string => participation.slice(0, participation.indexOf('\u0000'));

/**
 * One walk of a session's QoS list for all of its participants a request asks about: Zoom has
 * no per-participant batch, and one call per participant would cost a session's size in calls.
 * The walk stops once every participant asked for is found; its pages are shared through the
 * request's page loader and the process's cache, so a second walk costs no call.
 */
async function walkSession(session: SessionRef, wanted: readonly string[], pages: SessionQosPages): Promise<Map<string, WireQosUser>> {
  const exact = new Map<string, WireQosUser>();
  const byId = new Map<string, WireQosUser>();
  const missing = new Set(wanted);
  let token = '';
  for (let index = 0; missing.size > 0; index += 1) {
    const page = await pageOrRewalk(pages, { session, index, token });
    for (const user of page.users) {
      const key = participationKey(user);
      if (!exact.has(key)) exact.set(key, user);
      if (!byId.has(idOf(key))) byId.set(idOf(key), user);
      missing.delete(key);
    }
    if (page.nextPageToken === '') break;
    token = page.nextPageToken;
  }
  const found = new Map<string, WireQosUser>();
  for (const participation of wanted) {
    const user = exact.get(participation) ?? byId.get(idOf(participation));
    if (user !== undefined) found.set(participation, user);
  }
  return found;
}

export function createQosLoader(pages: SessionQosPages, report: UnknownMetricReport): SessionQosLoader {
  return new DataLoader<QosKey, SessionUserQos | null, string>(
    async (keys) => {
      const bySession = new Map<string, { session: SessionRef; wanted: string[] }>();
      for (const key of keys) {
        const group = insideKey('qos', key.session);
        const entry = bySession.get(group) ?? { session: key.session, wanted: [] };
        entry.wanted.push(key.participation);
        bySession.set(group, entry);
      }
      const walks = new Map<string, Promise<Map<string, WireQosUser>>>();
      for (const [group, { session, wanted }] of bySession) walks.set(group, walkSession(session, wanted, pages));
      return Promise.all(
        keys.map(async (key) => {
          try {
            const user = (await walks.get(insideKey('qos', key.session)))?.get(key.participation);
            return user === undefined ? null : sessionUserQosOf(user, report);
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
    { cacheKeyFn: (key) => `${insideKey('qos', key.session)} ${key.participation}` },
  );
}
