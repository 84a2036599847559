import type { CSSProperties } from 'react';

/** Initials on a colour picked from the name, so a person keeps their colour. */
function hueOf(name: string): number {
  // FNV-1a: short names that differ by a letter still land far apart on the wheel.
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return hash % 360;
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0]];
  return letters
    .map((word) => (word ? Array.from(word)[0] ?? '' : ''))
    .join('')
    .toUpperCase();
}

export function Avatar({ name }: { name: string }) {
  return (
    <span className="avatar" style={{ '--avatar-hue': hueOf(name) } as CSSProperties} aria-hidden="true">
      {initialsOf(name) || '?'}
    </span>
  );
}
