// App passwords at rest: AES-256-GCM under a key derived from each SESSION_SECRET (HKDF-SHA256).
// The first secret seals; every secret may open, so rotating SESSION_SECRET ("new,old") keeps every
// app password working, and each one opened with an old secret is sealed again with the new one.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const keyFrom = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'stereodose', 'app-passwords', 32));

export interface Sealer {
  seal(plain: string): string;
  /** The password, and whether it was sealed with an older secret (seal it again). */
  open(sealed: string): { plain: string; stale: boolean } | undefined;
}

export function createSealer(secrets: readonly string[]): Sealer {
  const keys = secrets.map(keyFrom);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
    },
    open(sealed) {
      const [iv, body, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
      if (!iv || !body || !tag) return undefined;
      for (const [i, key] of keys.entries()) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, iv);
          decipher.setAuthTag(tag);
          return { plain: Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8'), stale: i > 0 };
        } catch {
          // not this secret's
        }
      }
      return undefined;
    },
  };
}

/** What an apiKey is looked up by. */
export const digestOf = (plain: string) => createHash('sha256').update(plain).digest('hex');

/** A fresh app password: 24 characters of letters and digits, easy to type on a TV remote. */
export function newAppPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(24);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
