// Session ids: 24 random bytes (192 bits) from the operating system's CSPRNG, base64url — what
// express-session's own generator (uid-safe) makes. express-session makes one for every request
// that arrives without a session cookie (most anonymous page views; few of them are ever saved),
// and asking the kernel for 24 bytes each time cost ~25 µs per page on a 2-core VM. So the bytes
// are read 4 KB at a time and handed out in order, each once — as node:crypto does for
// randomUUID(). (Each process fills its own pool: cluster workers are separate processes.)
import { randomFillSync } from 'node:crypto';

const ID_BYTES = 24;
const POOL_BYTES = ID_BYTES * 170;

const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

export function newSessionId(): string {
  if (offset + ID_BYTES > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  // Each byte serves one id only: overwrite what was handed out.
  pool.fill(0, offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
