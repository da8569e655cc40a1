// Deterministic hashing and seeded randomness, shared by the playlist walks (permutation keys),
// the demo synthesizer (a song rendered from its seed) and the tests and benchmarks that must
// repeat a draw exactly; and unpredictable tokens (session ids, CSP nonces) from a pooled CSPRNG.
import { randomFillSync } from 'node:crypto';

/** murmur3's 32-bit finalizer: a cheap, well-mixed hash of a 32-bit integer. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * FNV-1a over the string's UTF-16 code units, finalised by mix32 (FNV alone leaves near-identical
 * strings, "-07" and "-08", with similar low bits).
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export function hashString(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return mix32(h);
}

/** mulberry32: a tiny seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates: a uniformly random order of a copy of `items`, by `random` (numbers in [0, 1)). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

// Unpredictable tokens are made on most requests (a session id for each anonymous page view, a CSP
// nonce for each page), and asking the kernel for a few bytes each time cost ~25 µs per page on a
// 2-core VM. So the bytes are read 4 KB at a time and handed out in order, each once — as
// node:crypto does for randomUUID(). (Each process fills its own pool: cluster workers are separate.)
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` bytes from the operating system's CSPRNG, base64url. */
export function secureToken(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const token = pool.toString('base64url', offset, offset + bytes);
  // Each byte serves one token only: overwrite what was handed out.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return token;
}
