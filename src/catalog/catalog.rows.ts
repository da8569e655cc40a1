// A drug's and a mood's rows as the catalog's types, for every repository that reads them.
import type { Drug, Mood } from './catalog.types.js';

type Row = Record<string, unknown>;

export const toDrug = (r: Row): Drug => ({
  id: Number(r.id),
  slug: String(r.slug),
  name: String(r.name),
  description: String(r.description),
  color: String(r.color),
  position: Number(r.position),
});

export const toMood = (r: Row): Mood => ({
  id: Number(r.id),
  drugId: Number(r.drug_id),
  slug: String(r.slug),
  name: String(r.name),
  description: String(r.description),
  position: Number(r.position),
  songCount: Number(r.song_count ?? 0),
});
