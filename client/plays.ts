// Play counts: the player tells the server each time a track starts playing.
import { csrfToken } from './csrf.js';

export interface PlayReport {
  songId: number;
  /** `drug/mood` when playing a genre, so the dashboard can count per genre. */
  genre?: string;
  /** The first track of a page load: counts one playlist started. */
  first?: boolean;
}

/**
 * `POST /api/plays` with `{ songId, genre?, first? }`. Best effort: keepalive lets it finish while the page
 * unloads, and a failure (offline, rate-limited, refused) changes nothing for the listener.
 */
export function reportPlay(report: PlayReport): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = csrfToken();
  if (token) headers['x-csrf-token'] = token;
  try {
    fetch('/api/plays', { method: 'POST', headers, body: JSON.stringify(report), keepalive: true }).catch(() => {});
  } catch {
    // fetch itself refused (e.g. too many keepalive bytes in flight)
  }
}
