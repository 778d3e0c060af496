import { LocalEmbedder } from '../../src/embeddings/local.js';

let shared: LocalEmbedder | undefined;

/** The real offline model, loaded once per test file. */
export function localEmbedder(): LocalEmbedder {
  shared ??= new LocalEmbedder();
  return shared;
}

/**
 * Stops the model's threads. Jest runs many test files in one process and an idle thread is only
 * unref'd, not stopped: without this every file left ~300 MB behind (CI ran out of memory).
 */
export async function closeLocalEmbedder(): Promise<void> {
  const embedder = shared;
  shared = undefined;
  await embedder?.close();
}
