import type { GraphQLError } from 'graphql';
import { credentialBucket, enforceRateLimit } from '../app/caller.js';
import type { Principal } from '../auth/principal.js';
import type { Services } from '../context.js';
import { MemgateError, ServiceUnavailableError, UnauthenticatedError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { AuthFailureGuard } from './authFailures.js';
import { toGraphQLError } from './graphqlErrors.js';

type CallerServices = Services & { logger?: Logger };

/**
 * Who sends a request (GraphQL over HTTP or WebSocket, MCP): its credential checked, failures
 * counted per address, its rate limit applied (the request's first call). Throws GraphQL errors that
 * carry their HTTP status. Null only for a request without a valid credential that `anonymousAllowed`
 * lets through (introspection).
 */
export async function authenticateCaller(
  services: CallerServices,
  guard: AuthFailureGuard,
  credential: string | null,
  address: string,
): Promise<Principal>;
export async function authenticateCaller(
  services: CallerServices,
  guard: AuthFailureGuard,
  credential: string | null,
  address: string,
  anonymousAllowed: () => boolean,
): Promise<Principal | null>;
export async function authenticateCaller(
  services: CallerServices,
  guard: AuthFailureGuard,
  credential: string | null,
  address: string,
  anonymousAllowed: () => boolean = () => false,
): Promise<Principal | null> {
  try {
    guard.check(address);
    const principal = await services.authenticator.authenticate(credential).catch((error: unknown) => {
      services.logger?.error({ err: error }, 'credential verification failed');
      throw new ServiceUnavailableError('The credential could not be verified right now; retry shortly.');
    });
    if (!principal) {
      if (anonymousAllowed()) return null;
      await guard.failed(address);
      const refusal = services.authenticator.refusal(credential);
      throw new UnauthenticatedError(refusal.message, refusal.reason);
    }
    const { perCredential } = services.rateLimits;
    await enforceRateLimit(services, credentialBucket(principal), perCredential, 'this credential');
    return principal;
  } catch (error) {
    throw error instanceof MemgateError ? toGraphQLError(error) : error;
  }
}

/** The HTTP status of a refusal thrown by authenticateCaller (undefined for anything else). */
export function refusalStatus(error: unknown): { status: number; headers?: Record<string, string> } | undefined {
  const http = (error as GraphQLError | null)?.extensions?.http;
  return http?.status ? { status: http.status, headers: http.headers } : undefined;
}
