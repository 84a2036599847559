import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DisplayName, LIMITS, RoomId } from '@parley/protocol';
import { LOG_LEVELS, type LogLevel } from './node-environment';

export const USAGE = `Usage: pnpm bot --url <url> [--room <room>] [options]

Joins a Parley room as one or more headless participants, sends a sound and
reports what each of them hears from every peer.

  --url <url>          the page (http://host:8080, http://host:8080/r/<room>) or the
                       signaling endpoint (ws://host:8080/ws)
  --room <room>        room to join; required unless the URL names /r/<room>
  --name <name>        display name (default "Bot")
  --count <n>          participants in this process, named "<name> 1".."<name> n" (default 1)
  --tone <hz>          send a beeping tone, 200 ms on and 200 ms off (default: 440 Hz)
  --wav <file>         send a 16-bit PCM WAV file in a loop instead
  --silent             send digital silence instead
  --muted              join muted (a muted bot sends silence)
  --quiet-between-bots the bots of this process send each other no audio (they
                       still connect); fills a big room on a small machine
  --duration <s>       leave after this many seconds (default: run until Ctrl-C)
  --report-ms <ms>     report every this many milliseconds (default 1000)
  --json               print one JSON object per line instead of text
  --out <file>         append the output to this file instead of printing it
  --log-level <level>  engine log on stderr: debug, info, warn, error, silent (default warn)
  --help               print this and exit

Exits 0 after leaving, 1 when the server cannot be reached or refuses to let
a participant in, 2 on invalid options.`;

export type SignalChoice = { kind: 'tone'; frequencyHz: number } | { kind: 'wav'; path: string } | { kind: 'silence' };

export type BotOptions = {
  signalingUrl: string;
  roomId: RoomId;
  names: DisplayName[];
  signal: SignalChoice;
  muted: boolean;
  quietBetweenBots: boolean;
  durationMs: number | undefined;
  reportMs: number;
  json: boolean;
  outFile: string | undefined;
  logLevel: LogLevel;
};

export type CliCommand = { kind: 'run'; options: BotOptions } | { kind: 'help' } | { kind: 'invalid'; message: string };

export const DEFAULT_TONE_HZ = 440;

/**
 * Where to connect, from what a person would paste: a page URL gives the
 * signaling endpoint on its origin (`/ws`, as the web app uses) and maybe a
 * room; a ws(s) URL is the endpoint itself.
 */
export function signalingTarget(text: string): { ok: true; url: string; roomId?: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `--url ${text} is not a URL (try http://host:8080)` };
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') {
    if (url.pathname === '/') url.pathname = '/ws';
    return { ok: true, url: url.href };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: `--url ${text} must start with http://, https://, ws:// or wss://` };
  }
  const endpoint = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}/ws`;
  const room = /^\/r\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  return room === undefined ? { ok: true, url: endpoint } : { ok: true, url: endpoint, roomId: decodeURIComponent(room) };
}

/** Reads the command line; relative file paths are taken from `cwd`. Never throws. */
export function parseCli(argv: string[], cwd: string): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        room: { type: 'string' },
        name: { type: 'string', default: 'Bot' },
        count: { type: 'string' },
        tone: { type: 'string' },
        wav: { type: 'string' },
        silent: { type: 'boolean', default: false },
        muted: { type: 'boolean', default: false },
        'quiet-between-bots': { type: 'boolean', default: false },
        duration: { type: 'string' },
        'report-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        'log-level': { type: 'string', default: 'warn' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };
  const invalid = (message: string): CliCommand => ({ kind: 'invalid', message });

  if (values.url === undefined) return invalid('--url is required');
  const target = signalingTarget(values.url);
  if (!target.ok) return invalid(target.message);
  if (values.room !== undefined && target.roomId !== undefined && values.room !== target.roomId) {
    return invalid(`--url names room ${target.roomId} but --room says ${values.room}`);
  }
  const roomText = values.room ?? target.roomId;
  if (roomText === undefined) return invalid('--room is required when --url does not name /r/<room>');
  const room = RoomId.safeParse(roomText);
  if (!room.success) return invalid(`room "${roomText}": ${room.error.issues[0]?.message ?? 'invalid'}`);

  const numberErrors: string[] = [];
  const number = (flag: string, text: string | undefined, min: number, max: number, integer: boolean): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value))) return value;
    numberErrors.push(`--${flag} ${text}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    return undefined;
  };
  const count = number('count', values.count, 1, LIMITS.maxRoomSize, true) ?? 1;
  const toneHz = number('tone', values.tone, 20, 20_000, false) ?? DEFAULT_TONE_HZ;
  const durationS = number('duration', values.duration, 0.1, 7 * 86_400, false);
  const reportMs = number('report-ms', values['report-ms'], 50, 3_600_000, true) ?? 1000;
  if (numberErrors[0] !== undefined) return invalid(numberErrors[0]);

  const sources = [values.tone !== undefined, values.wav !== undefined, values.silent].filter(Boolean).length;
  if (sources > 1) return invalid('choose one of --tone, --wav and --silent');
  const signal: SignalChoice =
    values.wav !== undefined
      ? { kind: 'wav', path: resolve(cwd, values.wav) }
      : values.silent
        ? { kind: 'silence' }
        : { kind: 'tone', frequencyHz: toneHz };

  const logLevel = LOG_LEVELS.find((level) => level === values['log-level']);
  if (logLevel === undefined) return invalid(`--log-level ${values['log-level']}: expected one of ${LOG_LEVELS.join(', ')}`);

  const names: DisplayName[] = [];
  for (let i = 1; i <= count; i++) {
    const text = count === 1 ? values.name : `${values.name} ${i}`;
    const name = DisplayName.safeParse(text);
    if (!name.success) return invalid(`name "${text}": ${name.error.issues[0]?.message ?? 'invalid'}`);
    names.push(name.data);
  }

  return {
    kind: 'run',
    options: {
      signalingUrl: target.url,
      roomId: room.data,
      names,
      signal,
      muted: values.muted,
      quietBetweenBots: values['quiet-between-bots'],
      durationMs: durationS === undefined ? undefined : durationS * 1000,
      reportMs,
      json: values.json,
      outFile: values.out === undefined ? undefined : resolve(cwd, values.out),
      logLevel,
    },
  };
}
