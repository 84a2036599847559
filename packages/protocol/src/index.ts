export * from './limits';
export * from './codes';
export * from './fields';
export * from './chat';
export * from './room-admin';
export * from './messages';
export * from './parse';
export * from './control';
