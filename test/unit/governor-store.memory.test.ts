import { MemoryGovernorStore } from '../../src/budget/governor-store.memory';
import { governorStoreContract } from '../contracts/governor-store.contract';

governorStoreContract('MemoryGovernorStore', async () => new MemoryGovernorStore(Date.now));
