import { MemoryLiveState } from '../../src/live/live-state.memory';
import { liveStateContract } from '../contracts/live-state.contract';

liveStateContract('MemoryLiveState', async () => new MemoryLiveState(() => 1_764_578_400_000));
