// "Share this mix" and "Embed" describe exactly the list that plays, from the song playing on:
// its songs (?songs=) and where its walk goes on (?cursor=), so the link opens the same mix. On a
// phone, Share opens the system's share sheet; elsewhere the link is copied, and a toast says so.
import type { Track } from '../engine/types.js';
import type { Toasts } from '../ui/toasts.js';

/** The server takes at most this many songs in a shared list (MAX_LISTED_SONGS). */
const MAX_SONGS = 100;

/** The page (or embed) path with exactly these songs, then the walk of `cursor`. */
export function listPath(base: string, tracks: Track[], cursor: string | null): string {
  const query = new URLSearchParams();
  query.set(
    'songs',
    tracks
      .slice(0, MAX_SONGS)
      .map((t) => t.id)
      .join('-'),
  );
  if (cursor) query.set('cursor', cursor);
  return `${base}?${query.toString().replace(/%2D/gi, '-')}`;
}

/** The embed snippet with its iframe pointed at `embedPath` (same origin, size and title). */
export function snippetFor(snippet: string, embedPath: string): string {
  return snippet.replace(/src="([^"]*)"/, (_, src: string) => {
    const origin = new URL(src.replace(/&amp;/g, '&'), location.href).origin;
    return `src="${`${origin}${embedPath}`.replace(/&/g, '&amp;')}"`;
  });
}

async function copyText(text: string, fallback?: HTMLTextAreaElement | HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API here (a page served over plain http): the old way, through a selection.
    if (!fallback) return false;
    fallback.select();
    return document.execCommand('copy');
  }
}

const onPhone = () => typeof navigator.share === 'function' && matchMedia('(pointer: coarse)').matches;

export async function shareLink(url: string, title: string, toasts: Toasts): Promise<void> {
  const absolute = new URL(url, location.href).href;
  if (onPhone()) {
    try {
      await navigator.share({ title, url: absolute });
    } catch {
      // the listener closed the share sheet
    }
    return;
  }
  toasts.show((await copyText(absolute)) ? 'Link copied: it opens this mix from the song playing now.' : `Copy this link: ${absolute}`);
}

/** "Copy" buttons (data-copy="#id" of a field): one listener for the whole visit. */
export function bindCopyButtons(toasts: Toasts): void {
  document.addEventListener('click', async (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button[data-copy]');
    if (!button) return;
    const field = document.querySelector<HTMLTextAreaElement | HTMLInputElement>(button.dataset.copy!);
    if (!field) return;
    toasts.show((await copyText(field.value, field)) ? (button.dataset.copied ?? 'Copied.') : 'Could not copy: select the text and copy it yourself.');
  });
}
