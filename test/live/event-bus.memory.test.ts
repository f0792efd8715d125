import { MemoryEventBus } from '../../src/live/event-bus.memory';
import { describeEventBus } from './event-bus.spec';

describeEventBus('MemoryEventBus', async () => {
  const bus = new MemoryEventBus();
  return [bus, bus];
});
