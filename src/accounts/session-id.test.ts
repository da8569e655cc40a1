import { describe, expect, it } from 'vitest';
import { newSessionId } from './session-id.js';

describe('newSessionId', () => {
  it('when many ids are made (past several refills of the pool), then each is 24 random bytes in base64url and none repeats', () => {
    const ids = Array.from({ length: 2000 }, newSessionId);
    for (const id of ids) expect(Buffer.from(id, 'base64url')).toHaveLength(24);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Not the zeros a used slice is overwritten with.
    expect(ids).not.toContain('A'.repeat(32));
  });
});
