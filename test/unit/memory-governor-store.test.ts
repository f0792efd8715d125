import { MemoryGovernorStore } from '../../src/zoom/memory-governor-store';
import { governorStoreContract } from '../contracts/governor-store.contract';

governorStoreContract('MemoryGovernorStore', async () => new MemoryGovernorStore(Date.now));
