/**
 * The typed client end to end: `MEMGATE_API_KEY=mgk_... npx tsx examples/typed-client/demo.ts`
 * (MEMGATE_URL defaults to http://localhost:4000/graphql; MEMGATE_SEND_HASHES=1 sends document
 * hashes instead of their text, for a gateway in trusted-documents mode).
 */
import { memgateClient, mintEndUserToken, myMemories } from './client.js';

const url = process.env.MEMGATE_URL ?? 'http://localhost:4000/graphql';
const apiKey = process.env.MEMGATE_API_KEY;
const options = { trustedDocuments: process.env.MEMGATE_SEND_HASHES === '1' };
if (!apiKey) {
  console.error('Set MEMGATE_API_KEY to a tenant API key (npm start prints one on first run).');
  process.exit(64);
}

try {
  // Your backend: mint a token for the signed-in user and hand it to their browser.
  const token = await mintEndUserToken(memgateClient(url, apiKey, options), 'demo.user@example.com');

  // Their browser: the token only ever reaches this one end user's memories.
  const me = myMemories(memgateClient(url, token, options));
  await me.remember('I am training for a half marathon in April', ['fitness']);
  await me.remember('I am allergic to penicillin', ['health']);
  const recent = await me.recent(5);
  console.log(`${recent.totalCount} memories; newest: ${recent.edges.map((edge) => edge.node.content).join(' | ')}`);
  for (const hit of await me.recall('which medicine must I avoid?', 1))
    console.log(`recall: ${hit.memory.content} (score ${hit.score.toFixed(3)})`);
} catch (error) {
  // Say where it went: "[Network] fetch failed" alone does not tell a wrong URL from a stopped gateway.
  console.error(`memgate demo (${url}): ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
