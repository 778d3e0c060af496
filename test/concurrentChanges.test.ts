import type { Embedder } from '../src/embeddings/embedder.js';
import { ADD, LIST, UPDATE } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { localEmbedder, startTestGateway, type TestGateway } from './support/gateway.js';

const RESTORE = `mutation($input: RestoreMemoryInput!) { restoreMemory(input: $input) { __typename ... on Memory { content } ... on Error { code message } } }`;
const HISTORY = `query($user: String!, $id: ID!) { memory(externalUserId: $user, id: $id) { ... on Memory { content history { id kind oldContent newContent } } } }`;

/** The offline model, except that embedding `held` waits until the test lets it go. */
class GatedEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private gate?: { text: string; reached: () => void; released: Promise<void> };

  constructor(private readonly inner: Embedder) {
    this.modelId = inner.modelId;
    this.dimensions = inner.dimensions;
  }

  /** Resolves `reached` when the text is asked for; the call waits until `release` is called. */
  hold(text: string): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const wasReached = new Promise<void>((resolve) => (reached = resolve));
    this.gate = { text, reached, released };
    return { reached: wasReached, release };
  }

  async embed(texts: string[]): Promise<number[][]> {
    const gate = this.gate;
    if (gate && texts.includes(gate.text)) {
      this.gate = undefined;
      gate.reached();
      await gate.released;
    }
    return this.inner.embed(texts);
  }
}

describe.each(databaseKinds)('changes racing each other on %s', (kind) => {
  let t: TestGateway;
  const embedder = new GatedEmbedder(localEmbedder());
  beforeAll(async () => {
    t = await startTestGateway(kind, { embedder });
  });
  afterAll(() => t.close());

  async function memoryWithUpdate(user: string, first: string, second: string) {
    const added = await t.request(ADD, { input: { externalUserId: user, content: first } });
    const id = added.data.addMemory.memory.id as string;
    await t.request(UPDATE, { input: { externalUserId: user, id, content: second } });
    const { data } = await t.request(HISTORY, { user, id });
    return { id, updateEventId: data.memory.history[1].id as string };
  }

  test('a restore prepared before a concurrent update writes nothing and says so: the update is not lost', async () => {
    const { id, updateEventId } = await memoryWithUpdate('rita', 'Rita lives in Paris', 'Rita lives in Rome');
    const gate = embedder.hold('Rita lives in Paris');
    const restoring = t.request(RESTORE, { input: { externalUserId: 'rita', id, eventId: updateEventId } });
    await gate.reached; // the restore has read the memory and waits for its vector
    const update = await t.request(UPDATE, { input: { externalUserId: 'rita', id, content: 'Rita lives in Berlin' } });
    expect(update.data.updateMemory.content).toBe('Rita lives in Berlin');
    gate.release();

    const restored = await restoring;
    expect(restored.data.restoreMemory).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(restored.data.restoreMemory.message).toMatch(/changed while it was being restored/);
    const { data } = await t.request(HISTORY, { user: 'rita', id });
    expect(data.memory.content).toBe('Rita lives in Berlin');
    expect(data.memory.history.map((event: { kind: string }) => event.kind)).toEqual(['CREATED', 'UPDATED', 'UPDATED']);

    // Asked again, it restores the text before the first update and records what it replaced.
    const again = await t.request(RESTORE, { input: { externalUserId: 'rita', id, eventId: updateEventId } });
    expect(again.data.restoreMemory).toEqual({ __typename: 'Memory', content: 'Rita lives in Paris' });
    const after = await t.request(HISTORY, { user: 'rita', id });
    expect(after.data.memory.history.at(-1)).toMatchObject({
      kind: 'RESTORED',
      oldContent: 'Rita lives in Berlin',
      newContent: 'Rita lives in Paris',
    });
  });

  test('an update whose text was embedded while another update landed records the text it really replaced', async () => {
    const added = await t.request(ADD, { input: { externalUserId: 'sam', content: 'Sam drinks tea' } });
    const id = added.data.addMemory.memory.id as string;
    const gate = embedder.hold('Sam drinks green tea');
    const slow = t.request(UPDATE, { input: { externalUserId: 'sam', id, content: 'Sam drinks green tea' } });
    await gate.reached;
    await t.request(UPDATE, { input: { externalUserId: 'sam', id, content: 'Sam drinks coffee' } });
    gate.release();
    expect((await slow).data.updateMemory.content).toBe('Sam drinks green tea');

    const { data } = await t.request(HISTORY, { user: 'sam', id });
    const updates = data.memory.history.filter((event: { kind: string }) => event.kind === 'UPDATED');
    expect(
      updates.map((event: { oldContent: string; newContent: string }) => [event.oldContent, event.newContent]),
    ).toEqual([
      ['Sam drinks tea', 'Sam drinks coffee'],
      ['Sam drinks coffee', 'Sam drinks green tea'],
    ]);
  });

  test('an update of a memory retired while its text was embedded is NOT_FOUND and brings nothing back', async () => {
    const added = await t.request(ADD, { input: { externalUserId: 'tom', content: 'Tom owns a boat' } });
    const id = added.data.addMemory.memory.id as string;
    const gate = embedder.hold('Tom owns two boats');
    const slow = t.request(UPDATE, { input: { externalUserId: 'tom', id, content: 'Tom owns two boats' } });
    await gate.reached;
    await t.request(`mutation($input: DeleteMemoryInput!) { deleteMemory(input: $input) { __typename } }`, {
      input: { externalUserId: 'tom', id },
    });
    gate.release();
    expect((await slow).data.updateMemory).toMatchObject({ __typename: 'NotFoundError' });
    const list = await t.request(LIST, { user: 'tom' });
    expect(list.data.memories.totalCount).toBe(0);
  });
});
