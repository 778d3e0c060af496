import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '../errors.js';

/** Where a webhook may not go unless the operator allows it: loopback, private, link-local and other internal ranges. */
const internal = new BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(address, prefix, 'ipv6');
}

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  const family = isIP(address);
  return family === 0 ? true : internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A webhook URL as registered: http(s), no credentials in it, and no internal address unless allowed. */
export function checkWebhookUrl(raw: string, allowInternal: boolean, field = 'url'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError(field, 'The webhook URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ValidationError(field, 'Webhook URLs must be http or https.');
  if (url.username || url.password)
    throw new ValidationError(field, 'Webhook URLs may not carry credentials; verify the signature instead.');
  if (raw.length > 2_048) throw new ValidationError(field, 'Webhook URLs are at most 2048 characters.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !allowInternal &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isInternalAddress(host)))
  ) {
    throw new ValidationError(
      field,
      'Webhooks to loopback and private addresses are refused (the operator may allow them: MEMGATE_WEBHOOKS_ALLOW_PRIVATE).',
    );
  }
  return url.toString();
}

/** Checked again at each delivery, after DNS: a public name that resolves to an internal address is refused. */
export async function refuseInternalTarget(url: string, allowInternal: boolean): Promise<string | null> {
  if (allowInternal) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  const blocked = addresses.find(isInternalAddress);
  return blocked ? `${host} resolves to the internal address ${blocked}` : null;
}
