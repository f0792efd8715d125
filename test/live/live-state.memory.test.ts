import { MemoryLiveState } from '../../src/live/live-state.memory';
import { describeLiveState } from './live-state.spec';

describeLiveState('MemoryLiveState', async () => new MemoryLiveState());
