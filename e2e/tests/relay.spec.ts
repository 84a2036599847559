import { test as base, expect } from '../support/fixtures';
import { expectHearing, joinRoom, links, newRoomId, openPerson, type Person } from '../support/room';
import { freePort } from '../support/server-process';
import { TurnProcess } from '../support/turn-process';

const test = base.extend<{ turn: TurnProcess }>({
  turn: async ({}, use) => {
    const turn = new TurnProcess(await freePort(), 'turn-secret-for-e2e', { min: 49160, max: 49260 });
    await turn.start();
    await use(turn);
    await turn.kill('SIGTERM');
  },
  // Relay only: every packet goes through coturn, with credentials the server mints.
  serverEnv: async ({ turn }, use) => {
    await use({
      PARLEY_ICE_SERVERS: turn.url,
      PARLEY_TURN_SECRET: turn.secret,
      PARLEY_ICE_TRANSPORT_POLICY: 'relay',
    });
  },
});

test('relay-only audio comes back by itself after the TURN server is killed and restarted', async ({ browser, turn, people }) => {
  test.setTimeout(90_000);
  const roomId = newRoomId('relay');
  people.push(await openPerson(browser, 'Ada'), await openPerson(browser, 'Bob'));
  const [ada, bob] = people as [Person, Person];
  for (const person of people) await joinRoom(person, roomId);
  await expectHearing(ada, ['Bob']);
  await expectHearing(bob, ['Ada']);
  for (const person of people) {
    expect((await links(person.page)).map((l) => l.localCandidateType)).toEqual(['relay']);
  }

  await turn.kill('SIGKILL');
  // Without its relay the call goes quiet: wait until Bob's inbound audio stalls.
  await expect
    .poll(async () => {
      const before = (await links(bob.page))[0]?.bytesReceived ?? 0;
      await new Promise((r) => setTimeout(r, 500));
      return ((await links(bob.page))[0]?.bytesReceived ?? 0) - before;
    }, { timeout: 15_000 })
    .toBe(0);

  await turn.start();
  await expectHearing(ada, ['Bob'], 5_000);
  await expectHearing(bob, ['Ada'], 5_000);
});
