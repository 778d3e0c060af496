import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { credentialBucket, enforceRateLimit, type Services } from '../context.js';
import type { Logger } from '../observability/logger.js';
import type { AuthFailureGuard } from './authFailures.js';

function unauthenticated(): GraphQLError {
  return new GraphQLError('A valid API key is required: send "Authorization: Bearer <key>".', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}

/** The credential could not be checked (the database failed): retry, it is not refused. */
function unavailable(): GraphQLError {
  return new GraphQLError('The credential could not be verified right now; retry shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': '1' } } },
  });
}

/**
 * Who sends a request (GraphQL or MCP): its credential checked, failures counted per address, its
 * rate limit applied. Throws GraphQL errors that carry their HTTP status. Null only for a request
 * without a valid credential that `anonymousAllowed` lets through (introspection).
 */
type CallerServices = Services & { logger?: Logger };
export async function authenticateCaller(
  services: CallerServices,
  guard: AuthFailureGuard,
  request: Request,
  address: string,
): Promise<Principal>;
export async function authenticateCaller(
  services: CallerServices,
  guard: AuthFailureGuard,
  request: Request,
  address: string,
  anonymousAllowed: () => boolean,
): Promise<Principal | null>;
export async function authenticateCaller(
  services: CallerServices,
  guard: AuthFailureGuard,
  request: Request,
  address: string,
  anonymousAllowed: () => boolean = () => false,
): Promise<Principal | null> {
  guard.check(address);
  const principal = await services.authenticator
    .authenticate(request.headers.get('authorization'))
    .catch((error: unknown) => {
      services.logger?.error({ err: error }, 'credential verification failed');
      throw unavailable();
    });
  if (!principal) {
    if (anonymousAllowed()) return null;
    await guard.failed(address);
    throw unauthenticated();
  }
  await enforceRateLimit(services, credentialBucket(principal), services.rateLimits.perCredential, 'this credential');
  return principal;
}
