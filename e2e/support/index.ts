export * from './browser';
export * from './room';
export * from './server-process';
import { fileURLToPath } from 'node:url';

/** The page instrumentation every test and benchmark page loads before the app. */
export const INSTRUMENT_SCRIPT = fileURLToPath(new URL('./instrument.js', import.meta.url));
export * from './turn-process';
