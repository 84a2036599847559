import { describe, expect, it } from 'vitest';
import { type BotOptions, type CliCommand, parseCli, signalingTarget } from './cli-options';

describe('signalingTarget', () => {
  it.each([
    ['http://localhost:8080', { ok: true, url: 'ws://localhost:8080/ws' }],
    ['https://parley.example/', { ok: true, url: 'wss://parley.example/ws' }],
    ['http://10.0.0.5:8080/r/standup', { ok: true, url: 'ws://10.0.0.5:8080/ws', roomId: 'standup' }],
    ['https://parley.example/r/standup/?x=1#y', { ok: true, url: 'wss://parley.example/ws', roomId: 'standup' }],
    ['ws://localhost:8080/ws', { ok: true, url: 'ws://localhost:8080/ws' }],
    ['wss://parley.example', { ok: true, url: 'wss://parley.example/ws' }],
    ['ws://proxy.example/parley/ws', { ok: true, url: 'ws://proxy.example/parley/ws' }],
  ])('%s', (text, target) => {
    expect(signalingTarget(text)).toEqual(target);
  });

  it.each(['localhost', 'ftp://host/', '//host:8080'])('refuses %s', (text) => {
    expect(signalingTarget(text)).toMatchObject({ ok: false });
  });
});

function run(args: string[]): BotOptions {
  const command = parseCli(args, '/home/op');
  if (command.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(command)}`);
  return command.options;
}

function refusal(args: string[]): string {
  const command: CliCommand = parseCli(args, '/home/op');
  if (command.kind !== 'invalid') throw new Error(`expected a refusal, got ${JSON.stringify(command)}`);
  return command.message;
}

describe('parseCli', () => {
  it('has defaults for everything but where to go', () => {
    expect(run(['--url', 'http://localhost:8080', '--room', 'myroom'])).toEqual({
      signalingUrl: 'ws://localhost:8080/ws',
      roomId: 'myroom',
      names: ['Bot'],
      signal: { kind: 'tone', frequencyHz: 440 },
      muted: false,
      quietBetweenBots: false,
      durationMs: undefined,
      reportMs: 1000,
      json: false,
      outFile: undefined,
      logLevel: 'warn',
    });
  });

  it('takes the room from a /r/<room> link', () => {
    expect(run(['--url', 'http://localhost:8080/r/standup']).roomId).toBe('standup');
    expect(run(['--url', 'http://localhost:8080/r/standup', '--room', 'standup']).roomId).toBe('standup');
  });

  it('names several participants after one name', () => {
    expect(run(['--url', 'ws://h/ws', '--room', 'r', '--name', 'Robo', '--count', '3']).names).toEqual(['Robo 1', 'Robo 2', 'Robo 3']);
  });

  it('reads every option', () => {
    const options = run([
      '--url', 'ws://h/ws', '--room', 'r', '--wav', 'voice.wav', '--muted', '--duration', '2.5',
      '--report-ms', '250', '--json', '--out', '/tmp/bots.jsonl', '--log-level', 'debug',
    ]);
    expect(options).toMatchObject({
      signal: { kind: 'wav', path: '/home/op/voice.wav' },
      muted: true,
      durationMs: 2500,
      reportMs: 250,
      json: true,
      outFile: '/tmp/bots.jsonl',
      logLevel: 'debug',
    });
    expect(run(['--url', 'ws://h/ws', '--room', 'r', '--tone', '300']).signal).toEqual({ kind: 'tone', frequencyHz: 300 });
    expect(run(['--url', 'ws://h/ws', '--room', 'r', '--silent']).signal).toEqual({ kind: 'silence' });
  });

  it('answers --help', () => {
    expect(parseCli(['--help'], '/')).toEqual({ kind: 'help' });
  });

  it.each([
    [[], '--url is required'],
    [['--url', 'http://h'], '--room is required when --url does not name /r/<room>'],
    [['--url', 'http://h/r/one', '--room', 'two'], '--url names room one but --room says two'],
    [['--url', 'http://h', '--room', 'My Room'], 'room "My Room": room id must be lowercase letters, digits and inner dashes'],
    [['--url', 'http://h', '--room', 'r', '--count', '11'], '--count 11: expected a whole number from 1 to 10'],
    [['--url', 'http://h', '--room', 'r', '--count', '2.5'], '--count 2.5: expected a whole number from 1 to 10'],
    [['--url', 'http://h', '--room', 'r', '--tone', 'loud'], '--tone loud: expected a number from 20 to 20000'],
    [['--url', 'http://h', '--room', 'r', '--duration', '0'], '--duration 0: expected a number from 0.1 to 604800'],
    [['--url', 'http://h', '--room', 'r', '--tone', '300', '--silent'], 'choose one of --tone, --wav and --silent'],
    [['--url', 'http://h', '--room', 'r', '--log-level', 'loud'], '--log-level loud: expected one of debug, info, warn, error, silent'],
    [['--url', 'http://h', '--room', 'r', '--name', '   '], 'name "   ": display name is empty'],
    [['--url', 'http://h', '--room', 'r', '--name', 'x'.repeat(31), '--count', '10'], `name "${'x'.repeat(31)} 1": display name is longer than 32 characters`],
  ])('refuses %j', (args, message) => {
    expect(refusal(args)).toBe(message);
  });

  it('refuses unknown flags and stray arguments', () => {
    expect(refusal(['--url', 'http://h', '--room', 'r', '--rooms', 'x'])).toMatch(/--rooms/);
    expect(refusal(['--url', 'http://h', 'myroom'])).toMatch(/myroom/);
  });
});
