/**
 * Instructions as a bag of hashed words: lower-cased [a-z0-9]+ words, each hashed (FNV-1a) into
 * one of V buckets; the vector holds 1/len on each word's bucket. Unknown phrasings of known
 * words still land on the same buckets; no vocabulary file is needed.
 */
export function instructionWords(s: string): string[] {
  return s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

export function hashWord(w: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) {
    h ^= w.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % buckets;
}

/** The [V] bag-of-words vector of an instruction (all zeros for ''). */
export function instructionVector(s: string, buckets: number, out = new Float32Array(buckets)): Float32Array {
  const words = instructionWords(s);
  for (const w of words) out[hashWord(w, buckets)]! += 1 / words.length;
  return out;
}
