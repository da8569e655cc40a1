// argon2id at OWASP's recommended parameters (m=19 MiB, t=2, p=1). @node-rs/argon2 ships a
// prebuilt binary per platform (the `argon2` package's prebuilt binary crashed on our Debian hosts).
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.js';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed hash never logs anyone in
  }
}

// Verified when the username is unknown, so both failures take the same time.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('stereodose-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}

export const isCommonPassword = (password: string) => COMMON_PASSWORDS.has(password.toLowerCase());
