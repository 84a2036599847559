export * from './bot-process';
export * from './browser';
export * from './room';
export * from './server-process';
export * from './turn-process';
export * from './cluster';
export * from './renderer-process';
