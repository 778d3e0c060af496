export const SCOPES = ['READ', 'WRITE', 'ADMIN'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: always exactly one tenant, taken from the credential and nothing else. */
export interface Principal {
  tenantId: string;
  tenantName: string;
  keyId: string;
  keyPrefix: string;
  scopes: Scope[];
}
