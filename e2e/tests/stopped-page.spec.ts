import { execFileSync } from 'node:child_process';
import { chromiumLaunchOptions } from '../support/browser';
import { expect, test } from '../support/fixtures';
import { expectHearing, expectNoRecovery, joinRoom, links, newRoomId, openPerson } from '../support/room';
import { withNewRenderer, WITHOUT_SPARE_RENDERER } from '../support/renderer-process';

// A page that stands still (a machine starved of CPU, a laptop that sleeps for a moment) is
// not a broken path: when it runs again, ICE finds the same pair and audio flows, with
// nothing to renegotiate. Ada offered the link, so ICE restarts are hers to make; she must
// not make one towards a peer that has said nothing since the path went quiet.
test.use({ launchOptions: chromiumLaunchOptions([WITHOUT_SPARE_RENDERER]) });

test('a page stopped until the other sees the path down: not shown speaking meanwhile; audio comes back both ways, and no link was restarted or rebuilt', async ({ browser, people }) => {
  test.setTimeout(90_000);
  const room = newRoomId('stopped');
  const ada = await openPerson(browser, 'Ada');
  people.push(ada);
  await joinRoom(ada, room);
  const { opened: bob, rendererPid } = await withNewRenderer(async () => {
    const person = await openPerson(browser, 'Bob');
    people.push(person);
    await joinRoom(person, room);
    return person;
  });
  await expectHearing(ada, ['Bob']);
  await expectHearing(bob, ['Ada']);
  // Bob's fake microphone plays a tone: Ada sees him speaking.
  const bobsTile = ada.page.locator('li.tile', { hasText: 'Bob' });
  await expect(bobsTile).toHaveAttribute('data-speaking', 'true');

  execFileSync('kill', ['-STOP', String(rendererPid)]);
  try {
    // Until Ada's browser says the path is down: by then her page has seen the audio stop too.
    await expect
      .poll(async () => (await links(ada.page))[0]?.connectionState, { timeout: 30_000, message: "Ada's link to the stopped page goes down" })
      .toMatch(/^(disconnected|failed)$/);
    // Nothing arrives from Bob, so he is not shown speaking (his last frame's level would say so for 10 s).
    await expect(bobsTile).toHaveAttribute('data-speaking', 'false', { timeout: 2_000 });
  } finally {
    execFileSync('kill', ['-CONT', String(rendererPid)]);
  }

  await expectHearing(ada, ['Bob']);
  await expectHearing(bob, ['Ada']);
  await expectNoRecovery([ada, bob]);
});
