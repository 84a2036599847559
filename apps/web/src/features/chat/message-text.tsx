import { useMemo } from 'react';
import { tokenizeMessage } from './message-tokens';

/**
 * A message body as plain text. Never HTML: text tokens are React text nodes
 * (so `<script>` shows literally) and only http(s) URLs become links, opened
 * in a new tab without giving it our window.
 */
export function MessageText({ text }: { text: string }) {
  const tokens = useMemo(() => tokenizeMessage(text), [text]);
  return (
    <span className="chat-text">
      {tokens.map((token, index) =>
        token.kind === 'link' ? (
          <a key={index} href={token.href} target="_blank" rel="noopener noreferrer">
            {token.text}
          </a>
        ) : (
          token.text
        ),
      )}
    </span>
  );
}
