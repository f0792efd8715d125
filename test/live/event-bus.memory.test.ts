import { MemoryEventBus } from '../../src/live/event-bus.memory';
import { eventBusContract } from '../contracts/event-bus.contract';

eventBusContract('MemoryEventBus', async () => {
  const bus = new MemoryEventBus();
  return [bus, bus];
});
