import { DisplayName } from '@parley/protocol';

export type NameCheck = { ok: true; displayName: DisplayName } | { ok: false; message: string };

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith('.') ? '' : '.');
}

/** The protocol's own rule, with its message made into a sentence. */
export function checkDisplayName(input: string): NameCheck {
  const parsed = DisplayName.safeParse(input);
  if (parsed.success) return { ok: true, displayName: parsed.data };
  return { ok: false, message: sentence(parsed.error.issues[0]?.message ?? 'display name is not valid') };
}
