import type { ListedRoom } from '@parley/protocol';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OpenRoomsList } from './open-rooms';

const render = (rooms: ListedRoom[] | undefined) => renderToStaticMarkup(createElement(OpenRoomsList, { rooms, onOpen: () => {} }));

describe('Open rooms', () => {
  it('lists each room with who is in it, how many, and whether it needs a password, each a link into it', () => {
    const html = render([
      { roomId: 'book-club', people: ['Ada', 'Grace', 'Linus'], passwordRequired: true, locked: false },
      { roomId: 'lounge', people: ['Bob'], passwordRequired: false, locked: true },
    ]);
    const titleId = /<h2 id="([^"]+)"[^>]*>Open rooms<\/h2>/.exec(html)?.[1];
    expect(html).toContain(`<ul class="open-rooms__list" aria-labelledby="${titleId}">`);

    const [bookClub, lounge] = html.split('<li').slice(1);
    expect(bookClub).toContain('href="/r/book-club"');
    expect(bookClub).toContain('>book-club<');
    expect(bookClub).toContain('>Ada, Grace, Linus<');
    expect(bookClub).toContain('>3 people<');
    expect(bookClub).toMatch(/<\/svg>password<\/span>/);
    expect(bookClub).not.toContain('>locked<');

    expect(lounge).toContain('href="/r/lounge"');
    expect(lounge).toContain('>1 person<');
    expect(lounge).toContain('>locked<');
    expect(lounge).not.toContain('password');
    expect(html).not.toContain('No open rooms right now');
  });

  it('says so, quietly, when no room is listed', () => {
    expect(render([])).toContain('<p class="open-rooms__empty">No open rooms right now</p>');
  });

  it('says nothing before the first list arrives', () => {
    const html = render(undefined);
    expect(html).not.toContain('<li');
    expect(html).not.toContain('No open rooms right now');
  });
});
