import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  AddMemoryDocument,
  DeleteMemoryDocument,
  EraseEndUserDocument,
  ListMemoriesDocument,
  SearchMemoriesDocument,
} from '../examples/typed-client/gql/graphql.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** The generated typed documents (examples/typed-client/gql, from its operations) run against the server. */
describe.each(databaseKinds)('generated client documents on %s', (kind) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(kind);
  });
  afterAll(() => t.close());

  async function execute<R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
    const res = await t.request(print(document), variables as Record<string, unknown>);
    expect(res.errors).toBeUndefined();
    return res.data as R;
  }

  test('add, list, search, delete and erase', async () => {
    const user = 'typed@example.com';
    const added = await execute(AddMemoryDocument, {
      input: { externalUserId: user, content: 'Typed clients are pleasant', tags: ['dx'] },
    });
    if (added.addMemory.__typename !== 'AddedMemory') throw new Error(`unexpected ${added.addMemory.__typename}`);
    const id = added.addMemory.memory.id;
    await execute(AddMemoryDocument, { input: { externalUserId: user, content: 'The weather is cold today' } });

    const list = await execute(ListMemoriesDocument, { externalUserId: user, first: 10 });
    if (list.memories.__typename !== 'MemoryConnection') throw new Error('expected a connection');
    expect(list.memories.totalCount).toBe(2);

    const search = await execute(SearchMemoriesDocument, {
      externalUserId: user,
      query: 'developer experience with types',
      limit: 1,
    });
    if (search.searchMemories.__typename !== 'MemorySearch') throw new Error('expected hits');
    expect(search.searchMemories.hits[0].memory.id).toBe(id);
    expect(search.searchMemories.mode).toBe('HYBRID');
    const byWords = await execute(SearchMemoriesDocument, {
      externalUserId: user,
      query: 'cold weather',
      mode: 'KEYWORD',
    });
    if (byWords.searchMemories.__typename !== 'MemorySearch') throw new Error('expected hits');
    expect(byWords.searchMemories.hits.map((hit) => hit.memory.content)).toEqual(['The weather is cold today']);

    const deleted = await execute(DeleteMemoryDocument, { input: { externalUserId: user, id } });
    expect(deleted.deleteMemory).toEqual({ __typename: 'DeletedMemory', deletedMemoryId: id });

    const erased = await execute(EraseEndUserDocument, { externalUserId: user });
    if (erased.deleteEndUser.__typename !== 'EndUserErasure') throw new Error('expected a receipt');
    expect(erased.deleteEndUser).toMatchObject({ memoriesDeleted: 2, historyEventsDeleted: 3 });
  });
});

test("the examples' gql directories are what `npm run codegen` generates from schema.graphql", async () => {
  const { generate } = await import('@graphql-codegen/cli');
  const { preset } = await import('@graphql-codegen/client-preset');
  const { default: config } = await import('../codegen.js');
  // Jest cannot resolve presets and plugins by name, so hand them over as modules.
  const generates = Object.fromEntries(
    Object.entries(config.generates).map(([path, target]) => [
      path,
      (target as { preset?: string }).preset ? { ...(target as object), preset } : target,
    ]),
  );
  const pluginLoader = (name: string) => import(name.startsWith('@') ? name : `@graphql-codegen/${name}`);
  const files: { filename: string; content: string }[] = await generate(
    { ...config, generates, pluginLoader, silent: true, cwd: process.cwd() },
    false,
  );
  expect(files.map((file) => file.filename)).toEqual(
    expect.arrayContaining([
      'examples/apollo-react/gql/possible-types.ts',
      'examples/typed-client/gql/possible-types.ts',
    ]),
  );
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    expect(readFileSync(file.filename, 'utf8')).toBe(file.content);
  }
});
