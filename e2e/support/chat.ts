import { expect, type Page } from '@playwright/test';

export type ChatLine = { author: string; text: string; pending: boolean };

/** What the chat log shows, top to bottom: one line per message with its group's author. */
export async function chatLines(page: Page): Promise<ChatLine[]> {
  const log = page.getByRole('log', { name: 'Messages' });
  return log.evaluate((root) => {
    const lines: Array<{ author: string; text: string; pending: boolean }> = [];
    for (const group of Array.from(root.querySelectorAll('article'))) {
      const author = group.querySelector('header')?.querySelector('span')?.textContent?.trim() ?? '';
      for (const item of Array.from(group.querySelectorAll('li'))) {
        const raw = item.textContent ?? '';
        const pending = raw.includes('Sending…');
        const text = item.querySelector('.chat-text')?.textContent ?? raw;
        lines.push({ author, text: text.replace(/Sending…|Failed|Retry|Discard/g, '').trim(), pending });
      }
    }
    return lines;
  });
}

export async function chatTexts(page: Page): Promise<string[]> {
  return (await chatLines(page)).map((l) => l.text);
}

export async function sendChat(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/** Waits until the log shows exactly `texts`, in order, none of them pending. */
export async function expectChat(page: Page, texts: string[], timeoutMs = 10_000): Promise<void> {
  await expect
    .poll(async () => (await chatLines(page)).map((l) => (l.pending ? `(sending) ${l.text}` : l.text)), { timeout: timeoutMs })
    .toEqual(texts);
}
