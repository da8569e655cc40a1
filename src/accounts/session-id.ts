// Session ids: 24 random bytes (192 bits) from the operating system's CSPRNG, base64url — what
// express-session's own generator (uid-safe) makes, from the pool of src/random.ts.
import { secureToken } from '../random.js';

const ID_BYTES = 24;

export const newSessionId = (): string => secureToken(ID_BYTES);
