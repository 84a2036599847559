import type { LogFields, Logger } from '../src/environment';

export type LogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: LogFields };

/** Records log entries; prints them too when MESH_LOG=1, for debugging a failing test. */
export function testLogger(prefix = ''): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const print = process.env.MESH_LOG === '1';
  const write = (level: LogEntry['level']) => (fields: LogFields, message: string) => {
    entries.push({ level, message, fields });
    if (print) console.log(`${prefix}[${level}] ${message}`, JSON.stringify(fields));
  };
  return { entries, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
