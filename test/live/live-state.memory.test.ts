import { MemoryLiveState } from '../../src/live/live-state.memory';
import { ENDED_RETENTION_MS } from '../../src/live/live-state';
import { SessionEventType } from '../../src/live/session-event-type.enum';
import { event, liveStateContract } from '../contracts/live-state.contract';

liveStateContract('MemoryLiveState', async () => new MemoryLiveState(() => 1_764_578_400_000));

describe('MemoryLiveState retention', () => {
  it('lets an ended session go once its 3 hours are over, as new sessions come, not only under its caps', async () => {
    let now = 1_764_578_400_000;
    const state = new MemoryLiveState(() => now);
    await state.apply(event(SessionEventType.SESSION_STARTED, 0, 'ended-long-ago'));
    await state.apply(event(SessionEventType.SESSION_ENDED, 1_000, 'ended-long-ago'));
    // Within its retention, a late join stamped before the end is known for what it is: nothing live.
    expect((await state.apply(event(SessionEventType.USER_JOINED, 500, 'ended-long-ago', 'u1'))).applied).toBe(false);
    now += ENDED_RETENTION_MS + 61_000;
    await state.apply(event(SessionEventType.SESSION_STARTED, ENDED_RETENTION_MS + 61_000, 'a-new-one'));
    // Gone: the state holds only what it is meant to.
    expect(await state.participants('ended-long-ago')).toEqual([]);
  });
});
