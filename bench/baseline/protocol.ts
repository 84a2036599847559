/**
 * The baseline's wire format: the least a mesh needs. No version, no auth, no
 * resume; `data` of a signal is opaque to the server ({description} or
 * {candidate}). page.js speaks the same messages without importing this file.
 */
export type BaselinePeer = { id: string; name: string };

export type BaselineClientMessage =
  | { type: 'join'; room: string; name: string }
  | { type: 'signal'; to: string; data: unknown }
  | { type: 'leave' };

export type BaselineServerMessage =
  | { type: 'joined'; id: string; peers: BaselinePeer[] }
  | { type: 'peer-joined'; id: string; name: string }
  | { type: 'peer-left'; id: string }
  | { type: 'signal'; from: string; data: unknown };

/** What a signal's `data` carries, in the page and in the bots. */
export type BaselineSignalData =
  | { description: { type: 'offer' | 'answer'; sdp: string } }
  | { candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } };

type Fields = Record<string, unknown>;

function parseObject(text: string): Fields | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Fields) : null;
  } catch {
    return null;
  }
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** A client frame, or null for anything malformed (the server drops those). */
export function parseClientMessage(text: string): BaselineClientMessage | null {
  const m = parseObject(text);
  if (m?.type === 'join' && isString(m.room) && isString(m.name)) return { type: 'join', room: m.room, name: m.name };
  if (m?.type === 'signal' && isString(m.to)) return { type: 'signal', to: m.to, data: m.data };
  if (m?.type === 'leave') return { type: 'leave' };
  return null;
}

/** A server frame, or null for anything malformed (the bots drop those). */
export function parseServerMessage(text: string): BaselineServerMessage | null {
  const m = parseObject(text);
  if (m?.type === 'joined' && isString(m.id) && Array.isArray(m.peers)) {
    const peers = (m.peers as Fields[]).filter((p) => isString(p?.id) && isString(p?.name)) as BaselinePeer[];
    return { type: 'joined', id: m.id, peers };
  }
  if (m?.type === 'peer-joined' && isString(m.id) && isString(m.name)) return { type: 'peer-joined', id: m.id, name: m.name };
  if (m?.type === 'peer-left' && isString(m.id)) return { type: 'peer-left', id: m.id };
  if (m?.type === 'signal' && isString(m.from)) return { type: 'signal', from: m.from, data: m.data };
  return null;
}

/** A signal's payload, or null when it is neither a description nor a candidate. */
export function parseSignalData(data: unknown): BaselineSignalData | null {
  if (typeof data !== 'object' || data === null) return null;
  const { description, candidate } = data as Fields;
  if (typeof description === 'object' && description !== null) {
    const { type, sdp } = description as Fields;
    if ((type === 'offer' || type === 'answer') && isString(sdp)) return { description: { type, sdp } };
  }
  if (typeof candidate === 'object' && candidate !== null) {
    const c = candidate as Fields;
    if (isString(c.candidate)) {
      const sdpMid = isString(c.sdpMid) ? c.sdpMid : null;
      const sdpMLineIndex = typeof c.sdpMLineIndex === 'number' ? c.sdpMLineIndex : null;
      return { candidate: { candidate: c.candidate, sdpMid, sdpMLineIndex } };
    }
  }
  return null;
}
