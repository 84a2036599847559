import { describe, expect, it } from 'vitest';
import { tokenizeMessage } from './message-tokens';

describe('tokenizeMessage', () => {
  it('keeps plain text as one text token', () => {
    expect(tokenizeMessage('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
  });

  it('turns http and https URLs into links amid text', () => {
    expect(tokenizeMessage('see https://example.com/a?b=1 and http://x.org')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
    ]);
  });

  it('leaves sentence punctuation out of the link but keeps parentheses the URL opened', () => {
    expect(tokenizeMessage('(go to https://example.com/docs).')).toEqual([
      { kind: 'text', text: '(go to ' },
      { kind: 'link', text: 'https://example.com/docs', href: 'https://example.com/docs' },
      { kind: 'text', text: ').' },
    ]);
    const wiki = 'https://en.wikipedia.org/wiki/Mesh_(networking)';
    expect(tokenizeMessage(`read ${wiki}!`)[1]).toEqual({ kind: 'link', text: wiki, href: wiki });
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com', 'mailto:a@b.c']) {
      expect(tokenizeMessage(text)).toEqual([{ kind: 'text', text }]);
    }
  });

  it('keeps markup as literal text', () => {
    const text = '<img src=x onerror=alert(1)> <script>alert(1)</script>';
    expect(tokenizeMessage(text)).toEqual([{ kind: 'text', text }]);
  });

  it('does not let a quote or angle bracket end up inside an href', () => {
    const tokens = tokenizeMessage('https://example.com/"onmouseover="alert(1)');
    expect(tokens[0]).toEqual({ kind: 'link', text: 'https://example.com/', href: 'https://example.com/' });
    expect(tokens.map((t) => t.text).join('')).toBe('https://example.com/"onmouseover="alert(1)');
  });
});
