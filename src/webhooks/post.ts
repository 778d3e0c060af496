import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { WebhookDeliveryFailure } from '../errors.js';
import { mayDeliverTo } from './addresses.js';
import { hostOf } from './urls.js';

/** Resolves a host name to its addresses (dns.lookup; tests answer as a rebinding DNS server would). */
export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (host) => lookup(host, { all: true, verbatim: true });

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;

function classify(error: Error & { code?: string }, timeoutMs: number): WebhookDeliveryFailure {
  if (error instanceof WebhookDeliveryFailure) return error;
  const code = error.code ?? '';
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || code === 'ABORT_ERR')
    return new WebhookDeliveryFailure(`timeout: no response within ${timeoutMs / 1000} s`);
  if (code === 'ECONNREFUSED') return new WebhookDeliveryFailure('connection refused');
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new WebhookDeliveryFailure('connection closed before the response');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return new WebhookDeliveryFailure('network unreachable');
  if (TLS_CODE.test(code)) return new WebhookDeliveryFailure(`TLS: ${code}`);
  return new WebhookDeliveryFailure('the request failed');
}

/** Every address of the host, each allowed, or the failure; an address in the URL is its own answer. */
async function checkedAddresses(
  host: string,
  allowInternal: boolean,
  resolve: Resolve,
): Promise<{ address: string; family: number }[]> {
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new WebhookDeliveryFailure('DNS: the host name did not resolve');
    }
  }
  if (addresses.length === 0) throw new WebhookDeliveryFailure('DNS: the host name did not resolve');
  if (addresses.some(({ address }) => !mayDeliverTo(address, allowInternal))) {
    throw new WebhookDeliveryFailure(
      'refused: the host resolves to an address webhooks may not reach (loopback, private, special-purpose, cloud metadata or this host)',
    );
  }
  return addresses;
}

/** A lookup that answers the address already checked, whatever it is asked: the connection goes where the check looked. */
function pinned({ address, family }: { address: string; family: number }): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

export interface PostOptions {
  timeoutMs: number;
  allowInternal: boolean;
  resolve?: Resolve;
}

/**
 * POSTs a delivery to the address that was checked: the host is resolved once, every address it
 * has must be allowed, and the connection is made to the first of them (with the URL's Host and
 * TLS server name), so a second DNS answer cannot turn it inward. Redirects are not followed.
 * Answers the response's status; throws DeliveryFailure.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: PostOptions,
): Promise<number> {
  const url = new URL(rawUrl);
  const host = hostOf(url);
  const [target] = await checkedAddresses(host, options.allowInternal, options.resolve ?? systemResolve);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned(target),
        ...(isIP(host) === 0 && url.protocol === 'https:' ? { servername: host } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response: IncomingMessage) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (error) => reject(classify(error, options.timeoutMs)));
    request.end(body);
  });
}
