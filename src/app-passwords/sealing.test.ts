import { describe, expect, it } from 'vitest';
import { createSealer, digestOf, newAppPassword } from './sealing.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('sealing app passwords', () => {
  it('when sealed and opened with the same secret, then the password comes back, not stale', () => {
    const sealer = createSealer([A]);
    expect(sealer.open(sealer.seal('hunter2hunter2'))).toEqual({ plain: 'hunter2hunter2', stale: false });
  });

  it('when SESSION_SECRET rotates to "new,old", then old seals still open, marked stale to seal again; the new secret alone cannot', () => {
    const sealed = createSealer([A]).seal('rotate me');
    expect(createSealer([B, A]).open(sealed)).toEqual({ plain: 'rotate me', stale: true });
    expect(createSealer([B]).open(sealed)).toBeUndefined();
  });

  it('when a seal is tampered with, then it does not open', () => {
    const sealer = createSealer([A]);
    const [iv, body, tag] = sealer.seal('intact').split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(sealer.open([iv, flipped.toString('base64url'), tag].join('.'))).toBeUndefined();
    expect(sealer.open('not a seal')).toBeUndefined();
  });

  it('when passwords are made, then each is 24 letters and digits, different each time, with its own digest', () => {
    const made = Array.from({ length: 50 }, newAppPassword);
    for (const p of made) expect(p).toMatch(/^[a-z2-9]{24}$/);
    expect(new Set(made).size).toBe(50);
    expect(new Set(made.map(digestOf)).size).toBe(50);
  });
});
