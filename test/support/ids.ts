/** The database UUID inside a global id the API returned (for tests that look in the database). */
export function uuidOf(globalId: string): string {
  const [, uuid] = Buffer.from(globalId, 'base64').toString('utf8').split(':');
  if (!uuid) throw new Error(`not a global id: ${globalId}`);
  return uuid;
}
