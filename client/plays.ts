// Play counts: the player tells the server each time a track starts playing. Resuming after a
// pause is not a new play; the first play of a page load also counts one playlist started.
import { csrfToken } from './csrf.js';
import type { Track } from './playlist.types.js';

interface PlayReport {
  songId: number;
  /** `drug/mood` when playing a genre, so the dashboard can count per genre. */
  genre?: string;
  /** The first track of a page load: counts one playlist started. */
  first?: boolean;
}

export interface PlayReports {
  /** This track was loaded: report it once, when it really starts playing. */
  started(track: Track): void;
}

export function bindPlayReports(audio: HTMLAudioElement, genre: string | undefined): PlayReports {
  let pending: Track | null = null;
  let first = true;
  audio.addEventListener('playing', () => {
    if (!pending) return;
    reportPlay({ songId: pending.id, genre, ...(first && { first: true }) });
    pending = null;
    first = false;
  });
  return {
    started(track) {
      pending = track;
    },
  };
}

/**
 * `POST /api/plays` with `{ songId, genre?, first? }`. Best effort: keepalive lets it finish while the page
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
