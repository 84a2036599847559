// The chat feature's integration surface: the slice for the store, the controller that
// does its side effects (history catch-up, in-order outbox delivery, typing), and the panel.
export { createChatSlice, type ChatSlice } from './chat-slice';
export { buildChatItems, selectUnread } from './chat-selectors';
export { startChatController, type ChatController } from './chat-controller';
export { startBrowserChat } from './browser-chat';
export { createChatControllerSlot } from './chat-controller-slot';
export { ChatPanel } from './chat-panel';
export { UnreadBadge } from './unread-badge';
