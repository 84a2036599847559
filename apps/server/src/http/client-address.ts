import { BlockList, isIP } from 'node:net';

/**
 * PARLEY_TRUST_PROXY, parsed: how many proxy hops in front of the server to
 * trust (0: none, the TCP peer is the client), or the addresses and CIDR ranges
 * of the proxies to trust wherever they appear.
 */
export type TrustProxy = number | string[];

/**
 * Whether the hop at `address` is a proxy of ours, so the X-Forwarded-For entry
 * it appended can be believed. Hop 0 is the TCP peer, hop 1 the last
 * X-Forwarded-For entry, and so on leftwards. Express takes the same function
 * as its `trust proxy` setting, so `req.ip` and the WebSocket upgrade agree.
 */
export type ProxyTrust = (address: string, hop: number) => boolean;

export function proxyTrust(setting: TrustProxy): ProxyTrust {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  const proxies = new BlockList();
  for (const entry of setting) {
    const [ip = '', bits] = entry.split('/');
    const address = plainAddress(ip);
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) proxies.addAddress(address, family);
    else proxies.addSubnet(address, Number(bits), family);
  }
  return (address) => {
    const ip = plainAddress(address);
    const version = isIP(ip);
    return version !== 0 && proxies.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Whether `entry` is an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`): what PARLEY_TRUST_PROXY lists. */
export function isAddressOrRange(entry: string): boolean {
  const [ip = '', bits, extra] = entry.split('/');
  const version = isIP(ip);
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32);
}

/**
 * The client's address: the TCP peer, or, while the hops seen so far are
 * trusted proxies, the X-Forwarded-For entry the last of them appended (read
 * right to left, as each proxy appends). An entry that is not an IP address ends
 * the walk: the proxy that passed it on stands for the client, so a client
 * cannot pick its own address by writing junk there. IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) come out as plain IPv4.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: ProxyTrust): string {
  if (remoteAddress === undefined) return 'unknown';
  const forwarded = [forwardedFor ?? []]
    .flat()
    .flatMap((header) => header.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .reverse();
  const hops = [remoteAddress, ...forwarded];
  let address = plainAddress(remoteAddress);
  for (let hop = 0; hop + 1 < hops.length && trust(hops[hop] as string, hop); hop++) {
    const next = plainAddress(hops[hop + 1] as string);
    if (isIP(next) === 0) break;
    address = next;
  }
  return address;
}

/**
 * What per-address limits count by: an IPv4 address as it is, an IPv6 address
 * as its /64 (`2001:db8:1:2::/64`), since one household or one server is
 * usually handed a whole /64 and could otherwise take a fresh address per try.
 */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address.split('%')[0] as string);
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** `::ffff:1.2.3.4` -> `1.2.3.4`; anything else unchanged. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail as two groups). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
