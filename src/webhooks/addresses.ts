import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Which addresses a webhook may reach. Refused unless the operator allows private targets: every
 * special-purpose block of IANA's IPv4 and IPv6 registries that is not globally reachable, and this
 * host's own addresses. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * judged by the IPv4 address they carry. Cloud metadata services are refused always.
 */

const SPECIAL_IPV4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112 service
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast address
];

const SPECIAL_IPV6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID…)
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
];

/** Metadata services of the clouds: they hand out credentials, so no setting opens them. */
const METADATA = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', 'fd00:ec2::254'];

function blockList(ipv4: [string, number][], ipv6: [string, number][]): BlockList {
  const list = new BlockList();
  for (const [address, prefix] of ipv4) list.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of ipv6) list.addSubnet(address, prefix, 'ipv6');
  return list;
}

const special = blockList(SPECIAL_IPV4, SPECIAL_IPV6);
const metadata = new BlockList();
for (const address of METADATA) metadata.addAddress(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');

/** The 16 bytes of an IPv6 address (isIP already said it is one). */
function ipv6Bytes(address: string): number[] {
  const [head, tail = ''] = address.toLowerCase().split('::');
  const groups = (part: string) => {
    if (!part) return [];
    const pieces = part.split(':');
    const last = pieces[pieces.length - 1];
    if (last.includes('.')) {
      const [a, b, c, d] = last.split('.').map(Number);
      pieces.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    }
    return pieces.map((piece) => parseInt(piece, 16));
  };
  const front = groups(head);
  const back = groups(tail);
  const words = address.includes('::') ? [...front, ...Array(8 - front.length - back.length).fill(0), ...back] : front;
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

const dotted = (bytes: number[]) => bytes.join('.');

/** The IPv4 address an IPv6 address carries, by the forms that route to it: mapped, compatible, NAT64, 6to4. */
export function embeddedIpv4(address: string): string | null {
  if (isIP(address) !== 6) return null;
  const bytes = ipv6Bytes(address.replace(/%.*$/, ''));
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return dotted(bytes.slice(12)); // ::ffff:a.b.c.d
  if (zeros(0, 12) && !zeros(12, 16)) return dotted(bytes.slice(12)); // ::a.b.c.d (deprecated)
  const nat64 = [0x00, 0x64, 0xff, 0x9b];
  if (nat64.every((byte, i) => bytes[i] === byte) && zeros(4, 12)) return dotted(bytes.slice(12)); // 64:ff9b::/96
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return dotted(bytes.slice(2, 6)); // 2002::/16
  return null;
}

function check(list: BlockList, address: string): boolean {
  const bare = address.replace(/%.*$/, '');
  const carried = embeddedIpv4(bare);
  if (carried) return list.check(carried, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return list.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** This host's own addresses, public ones included: a webhook must not call the gateway's own services. */
function ownAddresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((entry) => entry!.address.replace(/%.*$/, '').toLowerCase()),
  );
}

/** A cloud metadata service (refused whatever the operator allows). */
export function isMetadataAddress(address: string): boolean {
  return check(metadata, address);
}

/** An address a webhook may not reach unless private targets are allowed (anything unparsable counts as one). */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const own = ownAddresses();
  return check(special, bare) || own.has(bare) || own.has(embeddedIpv4(bare) ?? '');
}

/** Whether a webhook may reach the address: never a metadata service; internal ones only when allowed. */
export function mayDeliverTo(address: string, allowInternal: boolean): boolean {
  return !isMetadataAddress(address) && (allowInternal || !isInternalAddress(address));
}
