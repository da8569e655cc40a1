// What the page says is playing: the title and artist above the controls, the window title, the
// Media Session, and the live region that screen readers announce (which the hearts and the
// transport use for their messages too).
import { showInMediaSession } from './media-session.js';
import type { Track } from './playlist.types.js';

export interface NowPlaying {
  show(track: Track): void;
  /** Says this in the live region. */
  notify(text: string): void;
  /** This track could not be played; said now and again with the next "Now playing". */
  skipped(track: Track): void;
}

export function bindNowPlaying(root: HTMLElement): NowPlaying {
  const titleEl = root.querySelector<HTMLElement>('[data-now-title]')!;
  const artistEl = root.querySelector<HTMLElement>('[data-now-artist]')!;
  const announcer = root.querySelector<HTMLElement>('[data-announcer]')!;
  const album = root.querySelector('[data-eyebrow]')?.textContent?.trim() ?? 'Stereodose';
  /** Why the previous track was skipped; said together with the next "Now playing". */
  let skipNotice = '';

  const notify = (text: string) => {
    announcer.textContent = text;
  };

  return {
    show(track) {
      titleEl.textContent = track.title;
      artistEl.textContent = track.artist;
      notify(`${skipNotice}Now playing ${track.title} by ${track.artist}`);
      skipNotice = '';
      document.title = `${track.title} · ${track.artist} · Stereodose`;
      showInMediaSession(track, album, root.dataset.artwork);
    },
    notify,
    skipped(track) {
      skipNotice = `Could not play “${track.title}”; skipping. `;
      notify(skipNotice.trim()); // stays if there is nothing left to play
    },
  };
}
