// The tokens of links sent by mail (password resets, address confirmations): 32 random bytes in
// base64url, of which only the SHA-256 is stored, so the table alone opens nothing. A link works
// once (its used_at) and until its expires_at.
import { createHash, randomBytes } from 'node:crypto';

export const newLinkToken = () => randomBytes(32).toString('base64url');

/** What a link's row is found by: the token's SHA-256, hex. */
export const linkTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Whether the text could be a token at all (anything else names nothing, and is not looked up). */
export const isLinkToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/** Why a link cannot be used: it names nothing, it was used, or it expired. */
export type LinkProblem = 'unknown' | 'used' | 'expired';

export function linkProblem(link: { expiresAt: Date; usedAt: Date | null } | undefined, at: Date): LinkProblem | undefined {
  if (!link) return 'unknown';
  if (link.usedAt) return 'used';
  return link.expiresAt.getTime() > at.getTime() ? undefined : 'expired';
}
