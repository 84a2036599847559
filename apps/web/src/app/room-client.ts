// The chunk boundary of the mesh engine: engine.ts imports this file only
// dynamically, so RoomClient and everything under it (signaling, peer links,
// negotiation, chat channel) stay out of the JavaScript a first visit loads.
export { RoomClient } from '@parley/mesh';
export { warmUpParsing } from '@parley/protocol';
