// The demo catalog: the original site's drugs and moods, and songs rendered by the built-in
// synthesizer so everything plays offline. Idempotent: running it again adds nothing.
import type { Knex } from 'knex';
import { changeCatalog } from '../src/catalog/catalog.writes.js';
import { demoTrackDuration } from '../src/media/demo-synth.js';
import { demoTrackUrl } from '../src/media/demo-tracks.js';
import { hashString } from '../src/random.js';
import { applyMembershipChanges, type Membership } from '../src/playlists/membership.js';
import { writeTransaction } from '../src/db/transaction.js';

interface MoodSeed {
  slug: string;
  name: string;
  description: string;
}
interface DrugSeed {
  slug: string;
  name: string;
  color: string;
  description: string;
  moods: MoodSeed[];
  artists: string[];
  words: [adjectives: string[], nouns: string[]];
}

export const demoDrugs: DrugSeed[] = [
  {
    slug: 'weed',
    name: 'Weed',
    color: '#3fa34d',
    description: 'Slow down, sink in, let the beat carry you.',
    moods: [
      { slug: 'chill', name: 'Chill', description: 'Lo-fi haze for the couch and the long exhale.' },
      { slug: 'groovin', name: "Groovin'", description: 'Head-nodding grooves with a lazy swing.' },
      { slug: 'thug-life', name: 'Thug Life', description: 'Heavy bass, slow rolls, hard edges.' },
    ],
    artists: ['Mellow Fellow', 'Couchlock', 'The Slow Burners', 'Hazy Days', 'Greenhouse Kids', 'Lo Tide', 'Kush Pilot', 'Dank Sinatra'],
    words: [
      ['Hazy', 'Mellow', 'Lazy', 'Green', 'Smoky', 'Sunday', 'Velvet', 'Sleepy', 'Golden', 'Low'],
      ['Afternoon', 'Couch', 'Haze', 'Porch', 'Cloud', 'Groove', 'Garden', 'Sunset', 'Drift', 'Rooftop'],
    ],
  },
  {
    slug: 'ecstasy',
    name: 'Ecstasy',
    color: '#e4509a',
    description: 'Hands up, lights on, hearts open.',
    moods: [
      { slug: 'dance', name: 'Dance', description: 'Four to the floor and nowhere else to be.' },
      { slug: 'floored', name: 'Floored', description: 'Deep, rolling basslines for the small hours.' },
      { slug: 'rolling', name: 'Rolling', description: 'Euphoric builds and warm, endless drops.' },
    ],
    artists: ['Strobe Kitten', 'Neon Hug', 'Bassface', 'Peak Time', 'Glowstick Gospel', 'Serotonin Club', 'Lazer Lovers', 'Dawn Patrol'],
    words: [
      ['Neon', 'Euphoric', 'Electric', 'Endless', 'Warm', 'Pulsing', 'Bright', 'Midnight', 'Infinite', 'Sweet'],
      ['Rush', 'Strobe', 'Embrace', 'Drop', 'Lights', 'Heartbeat', 'Floor', 'Sunrise', 'Wave', 'Feeling'],
    ],
  },
  {
    slug: 'shrooms',
    name: 'Shrooms',
    color: '#c77d2e',
    description: 'Wander into the forest of sound.',
    moods: [
      { slug: 'matrix', name: 'Matrix', description: 'Patterns inside patterns inside patterns.' },
      { slug: 'shaman', name: 'Shaman', description: 'Earthy rhythms and ancient echoes.' },
      { slug: 'space', name: 'Space', description: 'Float out past the edge of the map.' },
    ],
    artists: ['Mycelium', 'Forest Floor', 'The Spore Collective', 'Fractal Fern', 'Cap & Stem', 'Moss Giant', 'Elder Root', 'Liberty Cap'],
    words: [
      ['Fractal', 'Ancient', 'Cosmic', 'Breathing', 'Hidden', 'Spiral', 'Mossy', 'Glowing', 'Deep', 'Wild'],
      ['Forest', 'Spore', 'Mandala', 'Ritual', 'Orbit', 'Root', 'Canopy', 'Nebula', 'Echo', 'Totem'],
    ],
  },
  {
    slug: 'lsd',
    name: 'LSD',
    color: '#7c5cff',
    description: 'Colours you can hear, sounds you can see.',
    moods: [
      { slug: 'calm', name: 'Calm', description: 'Soft drones and slow-blooming colour.' },
      { slug: 'trippy', name: 'Trippy', description: 'Melting melodies and bending time.' },
      { slug: 'rockstar', name: 'Rockstar', description: 'Loud, wide and larger than life.' },
    ],
    artists: [
      'Kaleidoscope Eyes',
      'The Blotter Band',
      'Prism Pilot',
      'Lucy & The Sky',
      'Tangerine Trees',
      'Acid Rain Orchestra',
      'Hofmann Cycle',
      'Marmalade Skies',
    ],
    words: [
      ['Melting', 'Prismatic', 'Liquid', 'Technicolor', 'Bending', 'Tangerine', 'Electric', 'Infinite', 'Paisley', 'Dancing'],
      ['Kaleidoscope', 'Clock', 'Rainbow', 'Mirror', 'Ceiling', 'Sky', 'Prism', 'Ocean', 'Tapestry', 'Sunflower'],
    ],
  },
];

export const DEMO_SONGS_PER_GENRE = 44;
const SUFFIXES = ['', '', '', ' (Dub)', ' Pt. II', ' (Night Mix)', ' Interlude', ' (Reprise)'];

interface DemoSong {
  seed: string;
  title: string;
  artist: string;
  /** Genre keys `drug/mood` this song belongs to. */
  genres: string[];
}

/** The demo songs, deterministically: every 7th also plays in the next mood of its drug. */
export function demoSongs(): DemoSong[] {
  const songs: DemoSong[] = [];
  for (const drug of demoDrugs) {
    const [adjectives, nouns] = drug.words;
    drug.moods.forEach((mood, m) => {
      for (let n = 1; n <= DEMO_SONGS_PER_GENRE; n++) {
        const seed = `${drug.slug}-${mood.slug}-${String(n).padStart(2, '0')}`;
        const h = hashString(seed);
        const genres = [`${drug.slug}/${mood.slug}`];
        if (n % 7 === 0) genres.push(`${drug.slug}/${drug.moods[(m + 1) % drug.moods.length]!.slug}`);
        songs.push({
          seed,
          title: `${adjectives[h % adjectives.length]} ${nouns[(h >>> 8) % nouns.length]}${SUFFIXES[(h >>> 16) % SUFFIXES.length]}`,
          artist: drug.artists[(h >>> 24) % drug.artists.length]!,
          genres,
        });
      }
    });
  }
  return songs;
}

export async function seedDemoCatalog(db: Knex): Promise<{ songs: number; memberships: number }> {
  const genreIds = await ensureDrugsAndMoods(db);
  const songs = demoSongs();
  const rows = songs.map((s) => ({
    title: s.title,
    artist: s.artist,
    url: demoTrackUrl(s.seed),
    duration_seconds: demoTrackDuration(s.seed),
  }));
  for (let i = 0; i < rows.length; i += 200) {
    await db('songs')
      .insert(rows.slice(i, i + 200))
      .onConflict('url')
      .ignore();
  }
  const idByUrl = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    const found = await db('songs')
      .whereIn(
        'url',
        rows.slice(i, i + 500).map((r) => r.url),
      )
      .select('id', 'url');
    for (const r of found) idByUrl.set(r.url, Number(r.id));
  }
  const additions: Membership[] = songs.flatMap((s) => s.genres.map((key) => [genreIds.get(key)!, idByUrl.get(demoTrackUrl(s.seed))!] as const));
  const { added } = await writeTransaction(db, (trx) => applyMembershipChanges(trx, { add: additions }));
  return { songs: songs.length, memberships: added };
}

/** Inserts the demo drugs and moods that are missing; returns genre ids by `drug/mood`. */
function ensureDrugsAndMoods(db: Knex): Promise<Map<string, number>> {
  return changeCatalog(db, (trx) => insertMissingDrugsAndMoods(trx));
}

async function insertMissingDrugsAndMoods(db: Knex): Promise<Map<string, number>> {
  const genreIds = new Map<string, number>();
  for (const [position, drug] of demoDrugs.entries()) {
    await db('drugs').insert({ slug: drug.slug, name: drug.name, color: drug.color, description: drug.description, position }).onConflict('slug').ignore();
    const drugId = Number((await db('drugs').where('slug', drug.slug).first('id')).id);
    for (const [moodPosition, mood] of drug.moods.entries()) {
      await db('moods')
        .insert({ drug_id: drugId, slug: mood.slug, name: mood.name, description: mood.description, position: moodPosition })
        .onConflict(['drug_id', 'slug'])
        .ignore();
      const moodId = Number((await db('moods').where({ drug_id: drugId, slug: mood.slug }).first('id')).id);
      await db('genre_counts').insert({ genre_id: moodId, song_count: 0 }).onConflict('genre_id').ignore();
      genreIds.set(`${drug.slug}/${mood.slug}`, moodId);
    }
  }
  return genreIds;
}
