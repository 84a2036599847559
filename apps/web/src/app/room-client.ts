// The chunk boundary of the mesh engine: engine.ts imports this file only
// dynamically, so RoomClient and everything under it (signaling, peer links,
// negotiation, chat channel) stay out of the JavaScript a first visit loads.
export { RoomClient } from '@parley/mesh';
// Its sample frames are only for the engine: kept out of the protocol's index, so out of the first chunk.
export { warmUpParsing } from '@parley/protocol/warm-up';
