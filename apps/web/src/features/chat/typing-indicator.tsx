/** "Alice is typing…" under the list; the line keeps its height so nothing jumps. */
export function TypingIndicator({ text }: { text: string }) {
  return (
    <p className="chat-typing" aria-live="polite">
      {text}
    </p>
  );
}
