const USER_DESCRIPTION =
  "The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). " +
  'Required with an API key; with an end-user token it defaults to the token’s user and may name no other.';

/** Options of every externalUserId argument and input field. */
export const userIdOptions = { required: false, description: USER_DESCRIPTION } as const;
