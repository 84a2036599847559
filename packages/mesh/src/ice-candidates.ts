/**
 * Which ICE candidates Parley uses: UDP only. A host TCP candidate is a
 * listening socket on one side and a TCP connection attempt per pair on the
 * other. In a room of ten on one machine (two pages, eight headless
 * participants in one process) that was 2,700 TCP connections in TIME_WAIT
 * within a minute, all on the network thread that every negotiation waits
 * for; with UDP only, 20. Voice wants UDP anyway; where UDP cannot pass, a
 * TURN server reached over TCP or TLS still relays it (a relay candidate's
 * own protocol is UDP).
 */
export function isUsableCandidate(candidateLine: string): boolean {
  // candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> ...
  const protocol = candidateLine.replace(/^a=/, '').split(' ')[2];
  return protocol === undefined || protocol.toLowerCase() !== 'tcp';
}
