// The player: progressive enhancement of the server-rendered track list. Without this script every
// track keeps its own <audio controls>; with it, one audio element plays the list in order,
// advances by itself, and fetches the next batch of the walk when the list runs out. Around it: a
// seek bar and volume (controls.ts), the Media Session (media-session.ts), play reports (plays.ts)
// and keyboard shortcuts with their dialog (shortcuts.ts).

import { bindSeekBar, bindVolume } from './controls.js';
import { enhanceHearts, heartButton, pressHeart } from './favorites.js';
import { bindMediaSession, showInMediaSession } from './media-session.js';
import { reportPlay } from './plays.js';
import { bindShortcutsDialog } from './shortcuts.js';

interface Track {
  id: number;
  title: string;
  artist: string;
  url: string;
  duration: number | null;
  favoriteCount?: number;
}

interface PlaylistData {
  /** Where the next batch comes from; null for a list that does not continue. */
  api: string | null;
  cursor: string;
  songs: Track[];
}

const root = document.querySelector<HTMLElement>('[data-player]');
const dataElement = document.getElementById('playlist-data');
if (root && dataElement) start(root, JSON.parse(dataElement.textContent ?? '{}') as PlaylistData);

function start(root: HTMLElement, data: PlaylistData): void {
  document.documentElement.classList.add('js');
  const audio = root.querySelector<HTMLAudioElement>('[data-audio]')!;
  const list = root.querySelector<HTMLOListElement>('[data-tracks]')!;
  const controls = root.querySelector<HTMLElement>('[data-controls]')!;
  const toggle = root.querySelector<HTMLButtonElement>('[data-action="toggle"]')!;
  const titleEl = root.querySelector<HTMLElement>('[data-now-title]')!;
  const artistEl = root.querySelector<HTMLElement>('[data-now-artist]')!;
  const announcer = root.querySelector<HTMLElement>('[data-announcer]')!;
  const album = root.querySelector('[data-eyebrow]')?.textContent?.trim() ?? 'Stereodose';
  controls.hidden = false;
  const seekBar = bindSeekBar(audio, root);
  bindVolume(audio, root);
  const shortcuts = bindShortcutsDialog(root.querySelector<HTMLDialogElement>('[data-shortcuts]')!, root.querySelector('[data-action="shortcuts"]'));

  const tracks: Track[] = [...data.songs];
  let cursor = data.cursor;
  let current = -1;
  /** The row whose start was last reported: resuming after a pause is not a new play. */
  let reported = -1;
  /** The first play of this page load counts as a playlist started. */
  let startedPlaylist = false;
  let fetching: Promise<boolean> | null = null;
  /** Why the previous track was skipped; said together with the next "Now playing". */
  let skipNotice = '';

  enhanceHearts(list, (text) => notify(text));
  for (const [i, li] of list.querySelectorAll<HTMLLIElement>('li.track').entries()) enhanceRow(li, i);

  // Each row's title becomes a button that plays it; a click anywhere else on the row does too,
  // except on the row's own controls (heart, add-to-playlist).
  function enhanceRow(li: HTMLLIElement, index: number): void {
    li.querySelector('audio')?.remove();
    const title = li.querySelector('.track-title')!;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'track-title';
    button.textContent = title.textContent;
    title.replaceWith(button);
    li.addEventListener('click', (e) => {
      if (!(e.target as Element).closest('form, a, select, .track-actions button')) void play(index);
    });
  }

  function appendRow(track: Track, index: number): void {
    const li = document.createElement('li');
    li.className = 'track';
    li.dataset.index = String(index);
    const title = document.createElement('span');
    title.className = 'track-title';
    title.textContent = track.title;
    const artist = document.createElement('span');
    artist.className = 'track-artist';
    artist.textContent = track.artist;
    li.append(title, artist);
    const heart = heartButton(track.id, track.favoriteCount ?? 0, track.title, notify);
    if (heart) li.append(heart);
    list.append(li);
    enhanceRow(li, index);
  }

  async function loadMore(): Promise<boolean> {
    if (!data.api) return false;
    fetching ??= (async () => {
      try {
        const response = await fetch(`${data.api}?cursor=${encodeURIComponent(cursor)}`, {
          headers: { Accept: 'application/json' },
        });
        if (!response.ok) return false;
        const batch = (await response.json()) as { songs: Track[]; cursor: string };
        cursor = batch.cursor;
        let added = 0;
        for (const track of batch.songs) {
          // The server's walk never repeats a song until the whole list has played; then it starts anew.
          appendRow(track, tracks.length);
          tracks.push(track);
          added++;
        }
        return added > 0;
      } catch {
        return false;
      } finally {
        fetching = null;
      }
    })();
    return fetching;
  }

  async function play(index: number): Promise<void> {
    if (index < 0) return;
    if (index >= tracks.length && !(await loadMore())) return;
    const track = tracks[index];
    if (!track) return;
    current = index;
    reported = -1;
    audio.src = track.url;
    seekBar.reset(track.duration);
    markCurrent();
    try {
      await audio.play();
    } catch (err) {
      // Only a blocked autoplay needs the listener; a source that fails is handled by the error event.
      if (index === current && (err as DOMException).name === 'NotAllowedError') notify(`Press play to start “${track.title}”.`);
    }
    // Keep a batch ahead so the next song never waits on the network.
    if (tracks.length - index <= 3) void loadMore();
  }

  function markCurrent(): void {
    list.querySelectorAll('li.track').forEach((li, i) => {
      li.classList.toggle('current', i === current);
      if (i === current) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    });
    const track = tracks[current];
    if (!track) return;
    titleEl.textContent = track.title;
    artistEl.textContent = track.artist;
    announcer.textContent = `${skipNotice}Now playing ${track.title} by ${track.artist}`;
    skipNotice = '';
    document.title = `${track.title} · ${track.artist} · Stereodose`;
    showInMediaSession(track, album, root.dataset.artwork);
  }

  function notify(message: string): void {
    announcer.textContent = message;
  }

  const next = () => void play(current + 1);
  const previous = () => void play(Math.max(0, current - 1));
  const resume = () => {
    if (current < 0) return void play(0);
    audio.play().catch(() => {}); // a failing source is handled by the error event
  };
  const togglePlay = () => (current < 0 || audio.paused ? resume() : audio.pause());
  const seekTo = (seconds: number) => {
    if (current < 0 || !Number.isFinite(audio.duration)) return;
    audio.currentTime = Math.min(Math.max(0, seconds), audio.duration);
  };
  const seekBy = (seconds: number) => seekTo(audio.currentTime + seconds);

  audio.addEventListener('ended', next);
  audio.addEventListener('error', () => {
    const failed = tracks[current];
    if (failed) {
      skipNotice = `Could not play “${failed.title}”; skipping. `;
      notify(skipNotice.trim()); // stays if there is nothing left to play
    }
    next();
  });
  audio.addEventListener('playing', () => {
    const track = tracks[current];
    if (track && reported !== current) {
      reported = current;
      reportPlay({ songId: track.id, genre: root.dataset.genre, ...(!startedPlaylist && { first: true }) });
      startedPlaylist = true;
    }
  });
  audio.addEventListener('play', () => {
    root.classList.add('playing');
    toggle.setAttribute('aria-label', 'Pause');
  });
  audio.addEventListener('pause', () => {
    root.classList.remove('playing');
    toggle.setAttribute('aria-label', 'Play');
  });

  root.querySelector('[data-action="next"]')!.addEventListener('click', next);
  root.querySelector('[data-action="previous"]')!.addEventListener('click', previous);
  toggle.addEventListener('click', togglePlay);

  bindMediaSession(audio, { play: resume, pause: () => audio.pause(), next, previous, seekTo, seekBy });

  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || shortcuts.isOpen()) return;
    if (target.closest('input, textarea, select, [contenteditable]')) return;
    switch (e.key) {
      case ' ':
        if (target.closest('button, a, summary, [role="button"]')) return; // they have their own Space
        togglePlay();
        break;
      case 'ArrowRight':
        seekBy(10);
        break;
      case 'ArrowLeft':
        seekBy(-10);
        break;
      case 'n':
      case 'j':
        next();
        break;
      case 'p':
      case 'k':
        previous();
        break;
      case 'f':
        pressHeart(list.querySelectorAll('li.track')[current]);
        break;
      case '?':
        shortcuts.open();
        break;
      default:
        return;
    }
    e.preventDefault();
  });
}
