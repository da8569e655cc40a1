// Play reports: the player tells the server each time a track starts playing. Resuming after a
// pause is not a new play; the first play of a page load also counts one playlist started. A
// track the listener leaves for another before it ended is reported as a skip (with how far in
// they were), one that cannot be loaded as a failure: neither is a play.
import { csrfToken } from '../csrf.js';
import type { Track } from './types.js';
import { TRACK_FAILED, TRACK_LEFT, type TrackLeft } from './transport.js';

interface PlayReport {
  songId: number;
  /** `drug/mood` when playing a genre, so the dashboard can count per genre. */
  genre?: string;
  /** The first track of a page load: counts one playlist started. */
  first?: boolean;
  /** Absent for a play. */
  kind?: 'skip' | 'failure';
  /** A skip: the whole seconds played before it. */
  seconds?: number;
}

export interface PlayReports {
  /** This track was loaded: report it once, when it really starts playing. */
  started(track: Track): void;
  /** A new list was loaded: its first play starts a playlist. */
  loaded(): void;
}

/** `genreOf()`: the genre of the list playing, if it is a genre's. */
export function bindPlayReports(audio: HTMLAudioElement, genreOf: () => string | undefined): PlayReports {
  let pending: Track | null = null;
  /** The loaded track, once its play was reported: only a track that played can be skipped. */
  let played: Track | null = null;
  /** The first play since a list was loaded counts one playlist started. */
  let first = true;
  audio.addEventListener('playing', () => {
    if (!pending) return;
    reportPlay({ songId: pending.id, genre: genreOf(), ...(first && { first: true }) });
    played = pending;
    pending = null;
    first = false;
  });
  audio.addEventListener(TRACK_LEFT, (event) => {
    const { track, seconds } = (event as CustomEvent<TrackLeft>).detail;
    if (track !== played) return;
    reportPlay({ songId: track.id, genre: genreOf(), kind: 'skip', seconds: Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0 });
  });
  audio.addEventListener(TRACK_FAILED, (event) => {
    reportPlay({ songId: (event as CustomEvent<Track>).detail.id, genre: genreOf(), kind: 'failure' });
  });
  return {
    started(track) {
      pending = track;
      played = null;
    },
    loaded() {
      first = true;
    },
  };
}

/**
 * `POST /api/plays` with `{ songId, genre?, first?, kind?, seconds? }`. Best effort: keepalive lets it finish while the page
 * unloads, and a failure (offline, rate-limited, refused) changes nothing for the listener.
 */
function reportPlay(report: PlayReport): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  try {
    fetch('/api/plays', { method: 'POST', headers, body: JSON.stringify(report), keepalive: true }).catch(() => {});
  } catch {
    // fetch itself refused (e.g. too many keepalive bytes in flight)
  }
}
