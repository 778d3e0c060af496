import { isIP } from 'node:net';
import { ValidationError } from '../errors.js';
import { isMetadataAddress, mayDeliverTo } from './addresses.js';

/** The host of a URL as an address or a name (IPv6 without its brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
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
  const host = hostOf(url);
  if (isIP(host) !== 0 && isMetadataAddress(host))
    throw new ValidationError(field, 'Webhooks to cloud metadata services are refused.');
  const local = host === 'localhost' || host.endsWith('.localhost');
  if ((local && !allowInternal) || (isIP(host) !== 0 && !mayDeliverTo(host, allowInternal))) {
    throw new ValidationError(
      field,
      'Webhooks to loopback, private, special-purpose and this host’s own addresses are refused (the operator may allow private ones: MEMGATE_WEBHOOKS_ALLOW_PRIVATE).',
    );
  }
  return url.toString();
}
