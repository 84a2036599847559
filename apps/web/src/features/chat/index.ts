// The chat feature's integration surface. See INTEGRATION.md.
export { createChatSlice, emptyChat, type ChatSlice, type ChatState, type OutboxEntry } from './chat-slice';
export { buildChatItems, selectTypingText, selectUnread, typingText, type ChatItem } from './chat-selectors';
export { startChatController, type ChatController, type ChatControllerDeps, type ChatEngine, type ChatEngineEvent } from './chat-controller';
export { startBrowserChat } from './browser-chat';
export { createChatControllerSlot } from './chat-controller-slot';
export { ChatPanel, type ChatPanelProps, type ChatStoreApi } from './chat-panel';
export { UnreadBadge } from './unread-badge';
export { CHAT_TIMING } from './chat-config';
