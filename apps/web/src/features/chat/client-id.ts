const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The part of Web Crypto a clientId needs. */
export type RandomSource = { getRandomValues<T extends Uint8Array>(array: T): T };

/**
 * A fresh clientId: 22 URL-safe characters (132 random bits), which the wire
 * schema accepts. It makes a resend of the same message idempotent.
 */
export function randomClientId(random: RandomSource): string {
  const bytes = random.getRandomValues(new Uint8Array(22));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}
