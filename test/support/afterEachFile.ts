import { closeLocalEmbedder } from './localEmbedder.js';

afterAll(() => closeLocalEmbedder());
