// The composition root of `pnpm bot`: reads the command line, builds one Bot
// per participant with real WebRTC, prints reports, and leaves properly on
// --duration, SIGINT or SIGTERM.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { AudioSignal } from './audio-source';
import { SAMPLE_RATE } from './audio-source';
import { Bot } from './bot';
import { type BotOptions, parseCli, USAGE } from './cli-options';
import { nodeEnvironment } from './node-environment';
import type { BotEvent, BotReport } from './report-line';
import { formatEvent, formatReport } from './text-output';
import { parseWav, toMono } from './wav';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function fail(message: string, code: number): never {
  process.stderr.write(`bot: ${message}\n`);
  process.exit(code);
}

function loadSignal(options: BotOptions): AudioSignal {
  const choice = options.signal;
  // A muted bot never unmutes, so it sends silence: with @roamhq/wrtc, a track disabled
  // before its link exists still lets about 100 ms of audio through when the link connects.
  if (options.muted) return { kind: 'silence' };
  if (choice.kind !== 'wav') return choice;
  let bytes: Buffer;
  try {
    bytes = readFileSync(choice.path);
  } catch (error) {
    return fail(`cannot read --wav ${choice.path}: ${error instanceof Error ? error.message : String(error)}`, EXIT_USAGE);
  }
  const parsed = parseWav(bytes);
  if (!parsed.ok) return fail(`--wav ${choice.path}: ${parsed.message}`, EXIT_USAGE);
  return { kind: 'pcm', samples: toMono(parsed.wav, SAMPLE_RATE) };
}

/** Where lines go: stdout, or appended to --out. Writes are synchronous so nothing is lost on exit. */
function openOutput(outFile: string | undefined): { write(line: string): void; close(): void } {
  if (outFile === undefined) return { write: (line) => process.stdout.write(`${line}\n`), close: () => {} };
  let fd: number;
  try {
    fd = openSync(outFile, 'a');
  } catch (error) {
    return fail(`cannot open --out ${outFile}: ${error instanceof Error ? error.message : String(error)}`, EXIT_USAGE);
  }
  return { write: (line) => writeSync(fd, `${line}\n`), close: () => closeSync(fd) };
}

const command = parseCli(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
if (command.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (command.kind === 'invalid') fail(`${command.message} (see --help)`, EXIT_USAGE);
const options = command.options;
const signal = loadSignal(options);
const output = openOutput(options.outFile);
const startedAtMs = Date.now();

const printEvent = (event: BotEvent) => {
  if (options.json) output.write(JSON.stringify(event));
  // An error that ends the run goes to stderr (onFatal); text output would only repeat it.
  else if (event.event !== 'error' || !event.fatal) output.write(formatEvent(event));
};
const printReport = (report: BotReport) => {
  if (options.json) output.write(JSON.stringify(report));
  else for (const line of formatReport(report)) output.write(line);
};

let exiting = false;
let reportTimer: ReturnType<typeof setTimeout> | undefined;

async function shutdown(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  clearTimeout(reportTimer);
  await Promise.all(bots.map((bot) => bot.leave()));
  output.close();
  process.exit(code);
}

const bots: Bot[] = options.names.map(
  (name) =>
    new Bot({
      name,
      signalingUrl: options.signalingUrl,
      roomId: options.roomId,
      muted: options.muted,
      ...(options.quietBetweenBots ? { quietTo: new Set(options.names) } : {}),
      signal,
      node: nodeEnvironment({ logPrefix: name, logLevel: options.logLevel }),
      startedAtMs,
      emit: printEvent,
      onFatal: (message) => {
        process.stderr.write(`bot: ${name} ${message}\n`);
        void shutdown(EXIT_FAILED);
      },
    }),
);

async function reportLoop(): Promise<void> {
  const reports = await Promise.all(bots.map((bot) => bot.report()));
  if (exiting) return;
  for (const report of reports) printReport(report);
  reportTimer = setTimeout(() => void reportLoop(), options.reportMs);
}

for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    if (exiting) {
      process.stderr.write(`bot: second ${name}, exiting without leaving\n`);
      process.exit(EXIT_FAILED);
    }
    void shutdown(0);
  });
}
if (options.durationMs !== undefined) setTimeout(() => void shutdown(0), options.durationMs);
for (const bot of bots) bot.start();
reportTimer = setTimeout(() => void reportLoop(), options.reportMs);
