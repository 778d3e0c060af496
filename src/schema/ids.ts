/** What every argument that takes back an id says (see app/ids.ts). */
export const PLAIN_UUIDS =
  'A global id, as this API returns it. The plain UUIDs of exports, the command line and earlier versions are still accepted (deprecated).';
