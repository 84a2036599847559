/** A piece of a message: plain text, or a link to an http(s) URL. */
export type MessageToken = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Punctuation that usually ends the sentence around a URL rather than the URL itself. */
const TRAILING = '.,;:!?\'"*_)]}>';

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Drop trailing punctuation, but keep a closing parenthesis the URL itself opened (Wikipedia links). */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined || !TRAILING.includes(last)) return url;
    if (last === ')' && count(url, '(') >= count(url, ')')) return url;
    url = url.slice(0, -1);
  }
}

function safeHref(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Split message text into plain text and http(s) links. Nothing here is
 * markup: the caller renders text tokens as text nodes, so `<script>` shows
 * up literally, and only http(s) URLs become links.
 */
export function tokenizeMessage(text: string): MessageToken[] {
  const tokens: MessageToken[] = [];
  let plain = '';
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (href === undefined) continue;
    plain += text.slice(last, start);
    if (plain) tokens.push({ kind: 'text', text: plain });
    plain = '';
    tokens.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  plain += text.slice(last);
  if (plain) tokens.push({ kind: 'text', text: plain });
  return tokens;
}
