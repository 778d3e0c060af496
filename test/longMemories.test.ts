import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operatorSession } from '../src/app/session.js';
import { importMemories } from '../src/cli/importMemories.js';
import { LIMITS } from '../src/memory/limits.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const MAX = LIMITS.contentLength;
/**
 * The offline model embeds a memory of MAX characters in ~14 s of CPU on a loaded 2-core machine
 * (its cost grows faster than the length), and each test embeds several.
 */
const LONG_TEST = 240_000;

/**
 * Text of exactly `length` characters that means something (a catalogue on one topic) and holds
 * thousands of distinct words (each line's numbers are lexemes of their own), from `opening` to `closing`.
 */
function variedText(opening: string, closing: string, length: number, topic = 'pressed fern specimen') {
  let text = `${opening}. `;
  for (let i = 0; text.length < length; i++) text += `Item ${i * 7 + 1000}: ${topic} from plot ${i * 13 + 5000}. `;
  return `${text.slice(0, length - closing.length - 1)} ${closing}`;
}

describe.each(databaseKinds)('memories at the documented maximum on %s', (kind) => {
  let t: TestGateway;
  const dir = mkdtempSync(join(tmpdir(), 'memgate-long-'));
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ADD_MANY = `mutation($user: String!, $memories: [MemoryInput!]!) {
    addMemories(input: { externalUserId: $user, memories: $memories }) {
      __typename ... on AddedMemories { results { memory { id } } } ... on Error { code message } ... on ValidationError { field } } }`;
  const search = async (user: string, query: string, mode: string) =>
    (
      await t.request(
        `query($user: String!, $query: String!, $mode: SearchMode!) {
          searchMemories(externalUserId: $user, query: $query, mode: $mode, limit: 3) {
            ... on MemorySearch { hits { memory { content } } } } }`,
        { user, query, mode },
      )
    ).data.searchMemories.hits.map((hit: any) => hit.memory.content.slice(0, 40));

  test(
    `a batch holding a ${MAX}-character memory of varied words and one of a repeated word is stored whole, and both are found`,
    async () => {
      const varied = variedText('Marguerite catalogued the herbarium of Valparaíso', 'zanzibarite', MAX);
      const repeated = `${'again '.repeat(MAX / 6)}`.slice(0, MAX - 9) + ' saffron.';
      expect([varied.length, repeated.length]).toEqual([MAX, MAX]);
      const neighbours = Array.from({ length: 98 }, (_, i) => ({
        content: `Short note number ${i} about an unpaid invoice`,
      }));
      const added = await t.request(ADD_MANY, {
        user: 'long-lou',
        memories: [{ content: varied }, { content: repeated }, ...neighbours],
      });
      expect(added.errors).toBeUndefined();
      expect(added.data.addMemories.__typename).toBe('AddedMemories');
      expect(added.data.addMemories.results).toHaveLength(100);
      const lengths = await t.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT length(content)::int AS n FROM memories WHERE external_user_id = 'long-lou' ORDER BY n DESC LIMIT 2`;
      expect(lengths.map((row) => row.n)).toEqual([MAX, MAX]);

      expect(await search('long-lou', 'zanzibarite', 'KEYWORD')).toEqual([varied.slice(0, 40)]);
      expect((await search('long-lou', 'saffron', 'KEYWORD'))[0]).toBe(repeated.slice(0, 40));
      expect((await search('long-lou', 'botanical specimens of ferns catalogued in a herbarium', 'SEMANTIC'))[0]).toBe(
        varied.slice(0, 40),
      );
      expect((await search('long-lou', 'herbarium zanzibarite', 'HYBRID'))[0]).toBe(varied.slice(0, 40));
      expect((await search('long-lou', 'invoice note', 'KEYWORD'))[0]).toMatch(/^Short note number/);
    },
    LONG_TEST,
  );

  test(
    'a long memory in a thread, updated, and imported is stored and found',
    async () => {
      const first = variedText('Tobias rebuilt the lighthouse lens', 'quillwort', MAX);
      const reply = variedText('Then he painted the keeper cottage', 'marjoram', MAX);
      const thread = await t.request(ADD_MANY, {
        user: 'long-tia',
        memories: [
          { content: first, threadId: 'chat-1' },
          { content: reply, threadId: 'chat-1' },
        ],
      });
      expect(thread.errors).toBeUndefined();
      expect(thread.data.addMemories.__typename).toBe('AddedMemories');
      const id = thread.data.addMemories.results[0].memory.id;
      const changed = variedText('Tobias restored the lighthouse lens', 'bergamot', MAX);
      const updated = await t.request(
        `mutation($id: ID!, $content: String!) { updateMemory(input: { externalUserId: "long-tia", id: $id, content: $content }) { __typename } }`,
        { id, content: changed },
      );
      expect(updated.data.updateMemory.__typename).toBe('Memory');
      expect(await search('long-tia', 'bergamot', 'KEYWORD')).toEqual([changed.slice(0, 40)]);
      expect((await search('long-tia', 'marjoram', 'KEYWORD'))[0]).toBe(reply.slice(0, 40));

      const file = join(dir, 'long.jsonl');
      writeFileSync(
        file,
        [
          JSON.stringify({ externalUserId: 'long-ivo', content: variedText('Ivo charted the fjord', 'tamarack', MAX) }),
          JSON.stringify({ externalUserId: 'long-ivo', content: 'Ivo keeps bees' }),
        ].join('\n'),
      );
      const summary = await importMemories(
        () =>
          operatorSession(
            { db: t.db, embedder: t.services.embedder, onKeysChanged: () => undefined },
            { id: t.tenants.acme.tenantId, name: 'acme' },
          ),
        file,
      );
      expect(summary).toMatchObject({ created: 2, rejected: 0 });
      expect(await search('long-ivo', 'tamarack', 'KEYWORD')).toEqual(['Ivo charted the fjord. Item 1000: presse']);
    },
    LONG_TEST,
  );
});
