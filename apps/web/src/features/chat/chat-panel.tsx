import { useCallback, useMemo } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { UserId } from '@parley/protocol';
import type { ChatController } from './chat-controller';
import { buildChatItems, selectTypingText } from './chat-selectors';
import type { ChatSlice } from './chat-slice';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { TypingIndicator } from './typing-indicator';
import './chat.css';

/** Any store whose state includes the chat slice (the app store is one). */
export type ChatStoreApi = Pick<StoreApi<ChatSlice>, 'getState' | 'getInitialState' | 'subscribe'>;

export type ChatPanelProps = {
  store: ChatStoreApi;
  /** undefined while there is no engine: the panel shows but cannot send. */
  controller: ChatController | undefined;
  /** Display name of a room member, for "Alice is typing…". */
  nameOf(userId: UserId): string | undefined;
  /** Defaults to Date.now; typing entries past their expiry are hidden. */
  now?: () => number;
};

export function ChatPanel({ store, controller, nameOf, now = Date.now }: ChatPanelProps) {
  const roomId = useStore(store, (s) => s.chat.roomId);
  const selfId = useStore(store, (s) => s.chat.selfId);
  const messages = useStore(store, (s) => s.chat.messages);
  const outbox = useStore(store, (s) => s.chat.outbox);
  const typing = useStore(store, (s) => s.chat.typing);
  const hasMoreBefore = useStore(store, (s) => s.chat.hasMoreBefore);
  const loadingOlder = useStore(store, (s) => s.chat.loadingOlder);
  const historyLoaded = useStore(store, (s) => s.chat.historyLoaded);

  const items = useMemo(() => buildChatItems({ messages, outbox, selfId }), [messages, outbox, selfId]);
  const typingLine = selectTypingText({ typing, selfId }, now(), nameOf);
  // Our own messages still in the outbox carry no name yet: use the one the room knows us by.
  const selfName = selfId === undefined ? undefined : nameOf(selfId);

  const onLoadOlder = useCallback(() => controller?.loadOlder(), [controller]);
  const onRetry = useCallback((clientId: string) => controller?.retry(clientId), [controller]);
  const onDiscard = useCallback((clientId: string) => controller?.discard(clientId), [controller]);
  const onSend = useCallback((text: string) => controller?.send(text) ?? false, [controller]);
  const onTyping = useCallback(() => controller?.typing(), [controller]);

  return (
    <section className="chat" aria-labelledby="chat-title">
      <h2 id="chat-title" className="chat__title">
        Chat
      </h2>
      <MessageList
        items={items}
        selfId={selfId}
        selfName={selfName}
        historyLoaded={historyLoaded}
        hasMoreBefore={hasMoreBefore}
        loadingOlder={loadingOlder}
        onLoadOlder={onLoadOlder}
        onRetry={onRetry}
        onDiscard={onDiscard}
      />
      <TypingIndicator text={typingLine} />
      <Composer disabled={controller === undefined || roomId === undefined} onSend={onSend} onTyping={onTyping} />
    </section>
  );
}
