import { browserEnvironment } from '@parley/mesh';
import type { ChatController, ChatEngine } from './chat-controller';
import { startChatController } from './chat-controller';
import type { ChatSlice } from './chat-slice';
import { randomClientId } from './client-id';
import { browserStorage, memoryStorage } from '../../app/browser-storage';

/** The chat controller with the browser's clock, localStorage and Web Crypto. */
export function startBrowserChat(engine: ChatEngine, store: { getState(): ChatSlice }): ChatController {
  return startChatController({
    engine,
    store,
    clock: browserEnvironment().clock,
    // Where the browser forbids localStorage, the outbox lives for this page only.
    storage: browserStorage('localStorage') ?? memoryStorage(),
    newClientId: () => randomClientId(window.crypto),
  });
}
