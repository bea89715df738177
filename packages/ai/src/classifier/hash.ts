// 32-bit hashing of n-grams, shared by the intent classifier and the emotion model. Both models store these
// hashes (a serialized intent model, the shipped emotion-model.json), so the functions are part of their file
// formats: changing either breaks every stored model.

/** murmur3's finalizer: spreads the bits of an FNV state so nearby n-grams land far apart. */
export function mixHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One FNV-1a step over a code point. */
export function hashStep(h: number, codePoint: number): number {
  return Math.imul(h ^ codePoint, 0x01000193);
}
