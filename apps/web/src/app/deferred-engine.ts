import type { ChatEngine } from '../features/chat/chat-controller';
import type { Engine } from './engine';

/**
 * An Engine to hand out at once while the real one's code is still on its
 * way (the mesh is a chunk of its own, fetched as the join form opens). What
 * the app asks of it meanwhile (listen, connect, join, set the stream) is
 * done on the real engine in the same order as soon as it exists, so the
 * app cannot tell the difference except in time.
 *
 * If the code cannot be loaded (or something asked of the engine throws while
 * catching up), `onFailed` hears of it. Chat frames are not kept: before the engine exists its channel is not
 * ready, and the chat controller keeps unsent messages itself, as it does
 * while a real channel is down.
 */
export function deferredEngine(arriving: Promise<Engine>, onFailed: (error: unknown) => void): Engine {
  let engine: Engine | undefined;
  const waiting: Array<(engine: Engine) => void> = [];
  const later = (work: (engine: Engine) => void): void => {
    if (engine) work(engine);
    else waiting.push(work);
  };
  arriving.then(
    (arrived) => {
      engine = arrived;
      for (const work of waiting.splice(0)) {
        // Called directly, the app would have seen this throw; here the rest must still run.
        try {
          work(arrived);
        } catch (error) {
          onFailed(error);
        }
      }
    },
    (error: unknown) => {
      waiting.length = 0;
      onFailed(error);
    },
  );

  /** A subscription made now that holds once the engine exists, and can be undone before then. */
  const listen = (subscribe: (engine: Engine) => () => void): (() => void) => {
    if (engine) return subscribe(engine);
    let off: (() => void) | undefined;
    let cancelled = false;
    later((arrived) => {
      if (!cancelled) off = subscribe(arrived);
    });
    return () => {
      cancelled = true;
      off?.();
    };
  };

  const chat: ChatEngine = {
    on: (name, listener) => listen((arrived) => arrived.chat.on(name, listener)),
    send: (message) => engine?.chat.send(message) ?? false,
    requestHistory: (roomId, bounds) => engine?.chat.requestHistory(roomId, bounds),
    sendTyping: (roomId) => engine?.chat.sendTyping(roomId) ?? false,
  };

  return {
    chat,
    on: (name, listener) => listen((arrived) => arrived.on(name, listener)),
    connect: () => later((arrived) => arrived.connect()),
    retryNow: () => later((arrived) => arrived.retryNow()),
    join: (...args) => later((arrived) => arrived.join(...args)),
    setLocalStream: (stream) => later((arrived) => arrived.setLocalStream(stream)),
    setVoice: (voice) => later((arrived) => arrived.setVoice(voice)),
    close: () => later((arrived) => arrived.close()),
    configureRoom: (change) => later((arrived) => arrived.configureRoom(change)),
    createInvite: () => later((arrived) => arrived.createInvite()),
    removeParticipant: (userId) => later((arrived) => arrived.removeParticipant(userId)),
    muteForEveryone: (userId, muted) => later((arrived) => arrived.muteForEveryone(userId, muted)),
    clearChat: () => later((arrived) => arrived.clearChat()),
  };
}
