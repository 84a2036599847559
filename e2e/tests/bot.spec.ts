import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { botCommand } from '@parley/bot';
import { LIMITS } from '@parley/protocol';
import { BotProcess, type BotProcessOptions } from '../support/bot-process';
import { test as base, expect } from '../support/fixtures';
import { RawClient } from '../support/raw-client';
import { expectHearing, joinRoom, newRoomId, openPerson } from '../support/room';
import { freePort } from '../support/server-process';

// Headless participants (`pnpm bot`) against the real server: real WebRTC from @roamhq/wrtc.
const test = base.extend<{ startBots: (options: Omit<BotProcessOptions, 'url'>) => Promise<BotProcess> }>({
  startBots: async ({ server }, use) => {
    const started: BotProcess[] = [];
    await use(async (options) => {
      const bots = await BotProcess.start({ url: server.baseUrl, ...options });
      started.push(bots);
      return bots;
    });
    await Promise.all(started.map((bots) => bots.dispose()));
  },
});

/** Runs a bot to its end: its exit code and what it printed. */
async function runToExit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { command, args: argv } = botCommand(args);
  try {
    const { stdout, stderr } = await promisify(execFile)(command, argv, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

test('two bots in one room hear each other; one stopped leaves at once', async ({ startBots }) => {
  const room = newRoomId('bots');
  const ada = await startBots({ room, name: 'Ada' });
  const bob = await startBots({ room, name: 'Bob' });
  const heard = [...(await ada.waitHearing(['Bob'])), ...(await bob.waitHearing(['Ada']))];
  expect(heard.map((report) => [report.name, report.peers.map((peer) => [peer.name, peer.link, peer.hearing])])).toEqual([
    ['Ada', [['Bob', 'connected', true]]],
    ['Bob', [['Ada', 'connected', true]]],
  ]);
  for (const peer of heard.flatMap((report) => report.peers)) {
    expect(peer.bytes).toBeGreaterThan(0);
    // The other's beeping tone, far above the 0.000002 of decoded silence.
    expect(peer.level).toBeGreaterThan(0.01);
  }

  await bob.dispose();
  expect(bob.events().at(-1)).toMatchObject({ event: 'left', name: 'Bob' });
  // A goodbye, not a dropped connection: no grace period as "reconnecting".
  await expect.poll(() => ada.events().find((event) => event.event === 'peerLeft')).toMatchObject({ peer: { name: 'Bob' }, reason: 'left' });
});

test('a silent bot is heard as silence while its audio keeps arriving', async ({ startBots }) => {
  const room = newRoomId('hush');
  const loud = await startBots({ room, name: 'Loud' });
  await startBots({ room, name: 'Hush', args: ['--silent'] });
  await expect
    .poll(() => loud.latest()[0]?.peers.find((peer) => peer.name === 'Hush')?.frames ?? 0, { message: 'frames from Hush' })
    .toBeGreaterThan(100);
  const hush = loud.latest()[0]?.peers.find((peer) => peer.name === 'Hush');
  expect(hush).toMatchObject({ link: 'connected', hearing: false });
  expect(hush?.bytes).toBeGreaterThan(0);
});

test('a browser page and three bots in one process all hear each other', async ({ browser, people, startBots }) => {
  const room = newRoomId('mixed');
  const ada = await openPerson(browser, 'Ada');
  people.push(ada);
  await joinRoom(ada, room);
  const bots = await startBots({ room, name: 'Robo', count: 3 });
  expect(bots.names.sort()).toEqual(['Robo 1', 'Robo 2', 'Robo 3']);
  await expectHearing(ada, bots.names);
  await bots.waitHearing([...bots.names, 'Ada']);
});

test('a bot run for a while says what it hears, then leaves and exits 0', async ({ server }) => {
  const room = newRoomId('solo');
  const run = await runToExit(['--url', `${server.baseUrl}/r/${room}`, '--name', 'Robo', '--duration', '1.5', '--report-ms', '500']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`Robo joined ${room} as `);
  expect(run.stdout).toContain(`Robo is alone in ${room}`);
  expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`Robo left ${room}`);
});

test('a bot refused by the server exits 1 and says why', async ({ server }) => {
  const room = newRoomId('full');
  const crowd = await Promise.all(Array.from({ length: LIMITS.maxRoomSize }, (_, i) => RawClient.connect(server.port, `Guest ${i}`)));
  try {
    for (const guest of crowd) {
      guest.send({ type: 'room.join', roomId: room });
      await guest.next((m) => m.type === 'room.joined');
    }
    const run = await runToExit(['--url', `${server.baseUrl}/r/${room}`, '--name', 'Robo']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`bot: Robo could not join room ${room}: server refused a message: room_full`);
  } finally {
    for (const guest of crowd) guest.close();
  }
});

test('a bot asked for an invalid room exits 2 without connecting', async () => {
  const run = await runToExit(['--url', 'http://127.0.0.1:9', '--room', 'Not A Room']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('room "Not A Room": room id must be lowercase letters, digits and inner dashes');
});

test('a bot that cannot reach the server exits 1 and says where it tried', async () => {
  const port = await freePort(); // nobody listens there
  const run = await runToExit(['--url', `http://127.0.0.1:${port}`, '--room', 'anywhere']);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`bot: Bot could not reach the signaling server at ws://127.0.0.1:${port}/ws (connect ECONNREFUSED`);
});
