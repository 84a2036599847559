import type { ChatController } from './chat-controller';

/**
 * A ChatController that stays the same object for the page's lifetime and
 * forwards to the current visit's controller (or does nothing between
 * visits), so React props need not change when the engine does.
 */
export function createChatControllerSlot(): { controller: ChatController; set(next: ChatController | undefined): void } {
  let current: ChatController | undefined;
  return {
    controller: {
      send: (text) => current?.send(text) ?? false,
      retry: (clientId) => current?.retry(clientId),
      discard: (clientId) => current?.discard(clientId),
      typing: () => current?.typing(),
      loadOlder: () => current?.loadOlder(),
      dispose: () => {
        current?.dispose();
        current = undefined;
      },
    },
    set(next) {
      if (current !== next) current?.dispose();
      current = next;
    },
  };
}
