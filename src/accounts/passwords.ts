// argon2id at OWASP's recommended parameters (m=19 MiB, t=2, p=1). The `argon2` package ships
// prebuilt binaries, so installing needs no compiler.
import argon2 from 'argon2';
import { COMMON_PASSWORDS } from './common-passwords.js';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
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
