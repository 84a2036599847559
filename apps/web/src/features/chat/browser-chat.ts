import { browserEnvironment } from '@parley/mesh';
import type { ChatController, ChatEngine } from './chat-controller';
import { startChatController } from './chat-controller';
import type { ChatSlice } from './chat-slice';
import { randomClientId } from './client-id';
import type { StorageLike } from './outbox-storage';

/** localStorage, or nothing (in memory) where the browser forbids it. */
function browserStorage(): StorageLike {
  try {
    const storage = window.localStorage;
    if (storage) return storage;
  } catch {
    // Some privacy modes throw on access: the outbox then lives for this page only.
  }
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** The chat controller with the browser's clock, localStorage and Web Crypto. */
export function startBrowserChat(engine: ChatEngine, store: { getState(): ChatSlice }): ChatController {
  return startChatController({
    engine,
    store,
    clock: browserEnvironment().clock,
    storage: browserStorage(),
    newClientId: () => randomClientId(window.crypto),
  });
}
