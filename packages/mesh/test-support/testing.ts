// What other packages' tests may use from the engine's test support (`@parley/mesh/testing`).
export { FakeClock } from './fake-clock';
export { FakeWebSocket } from './fake-websocket';
