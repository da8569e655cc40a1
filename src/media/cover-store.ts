// Songs' own covers: the picture an uploaded file carries, kept beside the uploads under a
// generated name (so backups take it along) and served resized at /media/covers/<name>?size=N as
// PNG. Resized with resvg, the renderer the link previews and the Subsonic artwork already use: the
// picture is placed in a square SVG and drawn at the size asked, with no image library to install.
// resvg decodes JPEG and PNG, which is what tags embed; other pictures (WebP) are not kept.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { fileTypeFromBuffer } from 'file-type';
import { bufferEtag } from '../http/etag.js';
import { LruCache } from '../lib/lru-cache.js';
import type { EmbeddedPicture } from './audio-metadata.js';

export const COVER_NAME = /^[0-9a-f]{32}\.(jpg|png)$/;
const KINDS: Record<string, { ext: string; mime: string }> = {
  jpg: { ext: 'jpg', mime: 'image/jpeg' },
  png: { ext: 'png', mime: 'image/png' },
};
export const COVER_SIZE_MIN = 16;
export const COVER_SIZE_MAX = 1200;
export const COVER_SIZE_DEFAULT = 512;
/** A few to some tens of KB each. */
const MAX_CACHED = 128;

export interface CoverImage {
  body: Buffer;
  etag: string;
}

/** A `size` as asked (any text), clamped to what is drawn; nothing usable: the default. */
export function coverSize(asked: unknown): number {
  const n = typeof asked === 'string' && /^\d{1,5}$/.test(asked) ? Number(asked) : typeof asked === 'number' ? asked : NaN;
  return Number.isFinite(n) ? Math.min(COVER_SIZE_MAX, Math.max(COVER_SIZE_MIN, Math.round(n))) : COVER_SIZE_DEFAULT;
}

const kindOf = async (data: Buffer) => KINDS[(await fileTypeFromBuffer(data))?.ext ?? ''];

/** The picture, centred and cropped to a square, `size` pixels wide. */
function draw(data: Buffer, mime: string, size: number): CoverImage {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">` +
    `<image href="data:${mime};base64,${data.toString('base64')}" width="${size}" height="${size}" preserveAspectRatio="xMidYMid slice"/></svg>`;
  const body = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();
  return { body, etag: bufferEtag(body) };
}

export function createCoverStore(dir: string) {
  const cache = new LruCache<string, CoverImage>(MAX_CACHED);
  const fileOf = (name: string) => (COVER_NAME.test(name) ? path.join(dir, name) : undefined);

  return {
    /** Whether a file's picture can be kept (it is a JPEG or a PNG, by its bytes). */
    accepts: async (picture: EmbeddedPicture) => (await kindOf(picture.data)) !== undefined,

    /** Keeps a file's picture under a fresh name; undefined when it is not a JPEG or PNG. */
    async save(picture: EmbeddedPicture): Promise<string | undefined> {
      const kind = await kindOf(picture.data);
      if (!kind) return undefined;
      const name = `${crypto.randomBytes(16).toString('hex')}.${kind.ext}`;
      const temp = path.join(dir, `.${name}.part`);
      await fs.promises.writeFile(temp, picture.data);
      await fs.promises.rename(temp, path.join(dir, name));
      return name;
    },

    async remove(name: string | null | undefined): Promise<void> {
      const file = name ? fileOf(name) : undefined;
      if (file) await fs.promises.rm(file, { force: true });
    },

    /** The cover as it was kept, with its type; undefined when there is no such cover. */
    async original(name: string): Promise<{ data: Buffer; type: string } | undefined> {
      const file = fileOf(name);
      const data = file ? await fs.promises.readFile(file).catch(() => undefined) : undefined;
      return data ? { data, type: KINDS[name.slice(-3)]!.mime } : undefined;
    },

    /** A picture not kept yet (an upload the admin is looking at), drawn as the cover would be; not cached. */
    async preview(picture: EmbeddedPicture, size: number): Promise<CoverImage | undefined> {
      const kind = await kindOf(picture.data);
      return kind && draw(picture.data, kind.mime, size);
    },

    /** The cover as a square PNG `size` pixels wide; undefined when there is no such cover. */
    async png(name: string, size: number): Promise<CoverImage | undefined> {
      const key = `${name}@${size}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const file = fileOf(name);
      const data = file && (await fs.promises.readFile(file).catch(() => undefined));
      if (!data) return undefined;
      const drawn = draw(data, KINDS[name.slice(-3)]!.mime, size);
      cache.set(key, drawn);
      return drawn;
    },
  };
}

export type CoverStore = ReturnType<typeof createCoverStore>;
