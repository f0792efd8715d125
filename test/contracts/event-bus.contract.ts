import type { LiveEventBus } from '../../src/live/event-bus';
import type { LiveChange } from '../../src/live/live-change';
import { SessionEventType } from '../../src/live/session-event-type.enum';

export function change(sessionId: string, occurredAt = 1764578400000): LiveChange {
  return { type: SessionEventType.SESSION_STARTED, occurredAt, sessionId, session: null, user: null };
}

/** Waits for `condition`; the default bound is for a loaded 2-core machine, since it costs nothing when the condition comes at once. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What every event bus must do. `fresh` gives two buses that share (one, twice, for memory). */
export function eventBusContract(name: string, fresh: () => Promise<[LiveEventBus, LiveEventBus]>): void {
  describe(`${name} (event bus contract)`, () => {
    it('delivers every change, in order, to every listener, its own publisher\'s included', async () => {
      const [one, other] = await fresh();
      const seenHere: string[] = [];
      const seenThere: string[] = [];
      one.subscribe((each) => seenHere.push(each.sessionId));
      const unsubscribe = other.subscribe((each) => seenThere.push(each.sessionId));
      for (const id of ['a', 'b', 'c']) await one.publish(change(id));
      await until(() => seenHere.length === 3 && seenThere.length === 3);
      expect(seenHere).toEqual(['a', 'b', 'c']);
      expect(seenThere).toEqual(['a', 'b', 'c']);
      unsubscribe();
      await one.publish(change('d'));
      await until(() => seenHere.length === 4);
      expect(seenThere).toEqual(['a', 'b', 'c']);
      expect(seenHere.at(-1)).toBe('d');
      await one.close();
      if (other !== one) await other.close();
    });
  });
}
