import { randomBytes } from 'node:crypto';

/** Sources of identifiers, injected so tests could make them predictable. */
export type Ids = {
  /** A participant id: URL-safe, unguessable, and larger the later it was made (see laterIsLargerId). */
  userId(): string;
  /** A short id for one socket, for logs only. */
  connId(): string;
};

/** The largest millisecond count the id's 12 hex digits hold (2^48 ms is about the year 10889). */
const MAX_ID_TIME_MS = 2 ** 48 - 1;

/**
 * A participant id that starts with the time it was made (12 hex digits of
 * milliseconds since the epoch, so ids sort by age as strings do), then 16
 * random URL-safe characters (12 bytes).
 *
 * The mesh has the side with the smaller id offer (isPolite in
 * @parley/mesh). Both sides of a link compare the same two ids, so any ids
 * agree on who offers; these make it the people already in the room, to the
 * one who said hello last: the newcomer only answers. With random ids it
 * was a coin toss per link. Measured on two cores (bench/tmp A/B of three
 * server builds, a sixth person joining five, 6-8 interleaved runs each):
 * the room offering to the newcomer 604 and 761 ms (medians), random ids
 * 730 and 820, the newcomer offering to the room 923. The newcomer's page
 * is the starved one: five answers cost it less than five offers, each of
 * which starts gathering candidates on it at once. Measured again on a
 * busier machine (load 18-34 on two cores; the web app built both ways,
 * runs interleaved, bench:mesh `sixth,steady`): the room offering, a sixth
 * into a settled call in 3.2-4.0 s (the two middle values of 18 joins), into
 * a fresh room 2.3, 2.9 and 3.6 s; the newcomer offering, 3.3 s (18 joins)
 * and 3.4, 4.4 and 4.6 s. No gain, so it stays. Measured a third time
 * (2026-12-07, the same server built with the time inverted, so the newcomer
 * had the smallest id; bench:mesh settled joins beside Parley and the raw
 * page in one run, it going second; load 7 before, 16 during): joins of
 * 20 and 50 s and a third not complete in a minute, against 2.4-5.1 s for
 * the room offering. The newcomer's page made its five links 0.7-1.4 s
 * after Join and its offers were answered 2.3-3.0 s after Join: five offers
 * cost the page that is already the busiest more than five answers do.
 */
export function laterIsLargerId(nowMs: number): string {
  const time = Math.min(MAX_ID_TIME_MS, Math.max(0, Math.floor(nowMs))).toString(16).padStart(12, '0');
  return time + randomBytes(12).toString('base64url');
}

export const randomIds: Ids = {
  userId: () => laterIsLargerId(Date.now()),
  connId: () => randomBytes(6).toString('base64url'),
};
