import { displayNameKey, LIMITS, type DisplayName } from '@parley/protocol';

/**
 * How two people with one name in a room are told apart: the second "Ada" to
 * arrive is listed as "Ada (2)", the next as "Ada (3)". Names are compared by
 * displayNameKey (NFC, invisible characters dropped, trimmed, case-insensitive),
 * so "ada" and "Ada\u200b" count as "Ada" too. Pure.
 */

/** `name`, or the first of `name (2)`, `name (3)`, ... that nobody in `taken` has. */
export function distinctName(name: DisplayName, taken: Iterable<DisplayName>): DisplayName {
  const keys = new Set([...taken].map(displayNameKey));
  if (!keys.has(displayNameKey(name))) return name;
  // `taken` is one room's roster: this ends within LIMITS.maxRoomSize + 1 steps.
  for (let n = 2; ; n++) {
    const candidate = numbered(name, n);
    if (!keys.has(displayNameKey(candidate))) return candidate;
  }
}

/**
 * The name someone coming back asked for, told apart from `others`. A name
 * they were already told apart under ("Ada (2)" coming back as "Ada") stays,
 * even if the first Ada has gone since: a dropped connection should not change
 * what everyone sees.
 */
export function nameOnReturn(current: DisplayName, requested: DisplayName, others: Iterable<DisplayName>): DisplayName {
  const othersList = [...others];
  const wanted = distinctName(requested, othersList);
  if (wanted === current) return current;
  const number = /\((\d{1,3})\)$/.exec(current)?.[1];
  const keepsNumber = number !== undefined && numbered(requested, Number(number)) === current;
  const free = !othersList.some((name) => displayNameKey(name) === displayNameKey(current));
  return keepsNumber && free ? current : wanted;
}

/** `name (n)`, the name cut short (whole characters, as people see them) so that the whole fits the limit. */
export function numbered(name: DisplayName, n: number): DisplayName {
  const suffix = `(${n})`;
  const base = truncate(name, LIMITS.displayNameMaxChars - suffix.length - 1).trimEnd();
  return base.length === 0 ? suffix : `${base} ${suffix}`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The longest run of whole graphemes from the start of `text` within `maxUnits` UTF-16 code units. */
function truncate(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (end + segment.length > maxUnits) break;
    end += segment.length;
  }
  return text.slice(0, end);
}
