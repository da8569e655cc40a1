// Each drug's artwork, public/img/drugs/<slug>.svg (default.svg for a drug without its own), read
// once at start as SVG source for the renderers that draw it: link previews and Subsonic covers.
import fs from 'node:fs';
import path from 'node:path';
import { publicDir } from '../paths.js';

export const DRUG_ARTWORK_DIR = path.join(publicDir, 'img', 'drugs');

/** The artwork drawn for a drug: its own or the default one, by `name` (the file's name without `.svg`). */
export type DrugArtwork = (drugSlug: string) => { name: string; svg: string };

export function readDrugArtwork(dir = DRUG_ARTWORK_DIR): DrugArtwork {
  const sources = new Map(
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.svg'))
      .map((name) => [name.slice(0, -'.svg'.length), fs.readFileSync(path.join(dir, name), 'utf8')]),
  );
  return (drugSlug) => {
    const name = sources.has(drugSlug) ? drugSlug : 'default';
    return { name, svg: sources.get(name) ?? '' };
  };
}
