// Absolute URLs for what leaves the site (link previews, embed snippets, oEmbed): PUBLIC_URL when
// set, else the scheme and host the request came in on (which honour TRUST_PROXY).
import type { Request } from 'express';
import type { Config } from '../config.js';

export type PublicUrl = (req: Request, path: string) => string;

export function publicUrlOf(config: Pick<Config, 'publicUrl'>): PublicUrl {
  return (req, path) => `${config.publicUrl ?? `${req.protocol}://${req.get('host')}`}${path}`;
}
