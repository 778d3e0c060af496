export function startLocalDurableStreamsServer() {
  throw new Error(
    '`prisma dev` is not available in Memgate (its local streams server needs Node 22); Memgate embeds PGlite itself.',
  );
}
