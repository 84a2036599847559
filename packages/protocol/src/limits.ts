/**
 * Wire-level limits. The server enforces every one of them; clients use the
 * same numbers so that a form can refuse what the server would refuse.
 */
export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Display names are trimmed, then must be 1..32 characters. */
  displayNameMaxChars: 32,
  /** Room ids: lowercase letters, digits and inner dashes, 1..48 characters. */
  roomIdMaxChars: 48,
  /** Largest WebSocket frame the server accepts (ws `maxPayload`). */
  maxFrameBytes: 64 * 1024,
  /** Bytes the server lets wait in one socket's send buffer before it closes the socket (tooSlow). */
  maxBufferedBytes: 1024 * 1024,
  /** Largest SDP blob relayed in a `peer.signal`. */
  sdpMaxChars: 48 * 1024,
  /** Largest ICE candidate line relayed in a `peer.signal`. */
  candidateMaxChars: 1024,
  /** Participants per room: a full mesh costs every peer n-1 uplinks. */
  maxRoomSize: 10,
  /** Chat message text, after trimming. */
  chatTextMaxChars: 4000,
  /** Largest page of chat history one request returns. */
  chatHistoryMaxPage: 100,
  /** A room password, as typed. */
  roomPasswordMaxChars: 128,
  /** An invite token, as the invite link carries it. */
  inviteTokenMaxChars: 512,
  /** The page a history request without a `limit` gets, and the page the web app asks for. */
  chatHistoryDefaultPage: 50,
} as const;

/** A room id as the URL and the wire carry it. */
export const ROOM_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
