export const SCOPES = ['READ', 'WRITE', 'ADMIN'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/**
 * Who is calling: always exactly one tenant, taken from the credential and nothing else.
 * An end-user token is also bound to one end user of that tenant.
 */
export type Principal = {
  tenantId: string;
  tenantName: string;
  scopes: Scope[];
} & (
  | { kind: 'API_KEY'; keyId: string; keyPrefix: string; keyName: string; boundUser?: undefined }
  | { kind: 'END_USER_TOKEN'; boundUser: string; expiresAt: Date }
  /** The operator on the command line, acting for one tenant with every scope. */
  | { kind: 'OPERATOR'; boundUser?: undefined }
);
