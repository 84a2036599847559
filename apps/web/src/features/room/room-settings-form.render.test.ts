import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RoomSettingsForm, type RoomSettingsFormProps } from './room-settings-form';

const noop = () => {};

function render(overrides: Partial<RoomSettingsFormProps> = {}): string {
  return renderToStaticMarkup(
    createElement(RoomSettingsForm, {
      titleId: 'settings-title',
      settings: { passwordRequired: false, locked: false, listed: false },
      invite: undefined,
      inviteCopy: 'idle',
      onSave: noop,
      onCopyInvite: noop,
      onClearChat: noop,
      onClose: noop,
      ...overrides,
    }),
  );
}

/** The id a label points at, found by the label's text. */
function labelled(html: string, text: string): string | undefined {
  return new RegExp(`<label[^>]*for="([^"]+)"[^>]*>${text}</label>`).exec(html)?.[1];
}

describe('RoomSettingsForm', () => {
  it('offers a password, the lock, the listing, Save, an invite link and clearing the chat', () => {
    const html = render();
    const passwordId = labelled(html, 'Room password');
    expect(html).toMatch(new RegExp(`<input id="${passwordId}"[^>]*type="password"[^>]*placeholder="No password"[^>]*value=""`));
    expect(html).toMatch(/<label class="check"><input type="checkbox"[^>]*\/>Lock room<\/label>/);
    expect(html).toMatch(/<label class="check"><input type="checkbox"[^>]*\/>List in lobby<\/label>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Save<\/button>/);
    expect(html).toMatch(/<button type="button"[^>]*>Copy invite link<\/button>/);
    expect(html).toMatch(/<button type="button"[^>]*>Clear chat history<\/button>/);
    expect(html).toMatch(/<button type="button"[^>]*aria-label="Close"/);
    // Nothing to remove yet, and no link until the owner asks for one.
    expect(html).not.toContain('Remove password');
    expect(labelled(html, 'Invite link')).toBeUndefined();
  });

  it('says a password is set without showing it, ticks what is on, and offers to remove the password', () => {
    const html = render({ settings: { passwordRequired: true, locked: true, listed: true } });
    expect(html).toMatch(/type="password"[^>]*placeholder="A password is set"[^>]*value=""/);
    expect(html).toMatch(/<input type="checkbox"\/>Remove password<\/label>/);
    expect(html).toMatch(/<input type="checkbox"[^>]*checked=""\/>Lock room/);
    expect(html).toMatch(/<input type="checkbox"[^>]*checked=""\/>List in lobby/);
  });

  it('shows the invite link in a read-only field anyone can copy from, and whether the clipboard took it', () => {
    const link = 'https://parley.example/r/friday#invite=signed.invite';
    const copied = render({ invite: { link, expiresAt: Date.now() + 3_600_000 }, inviteCopy: 'copied' });
    const inviteId = labelled(copied, 'Invite link');
    expect(copied).toMatch(new RegExp(`<input id="${inviteId}"[^>]*type="text"[^>]*readOnly=""[^>]*value="${link.replace(/[.?]/g, '\\$&')}"`));
    expect(copied).toContain('Invite link copied.');
    expect(render({ invite: { link, expiresAt: 0 }, inviteCopy: 'notCopied' })).toContain('Copy the link from the field below.');
  });
});
