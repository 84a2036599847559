import { busContract } from './bus.contract';
import { createMemoryBus } from './memory-bus';

busContract(async () => createMemoryBus());
