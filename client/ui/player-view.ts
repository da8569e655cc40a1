// A page's full player (views/partials/player.ejs): the page's list, with controls. When the dock
// already plays this list (the listener came back to its page) the view shows the dock's queue,
// its track and its time; otherwise it shows the page's list — continued from this browser's saved
// radio, where there is one — and the first press of play (or of a row) hands that list to the
// dock, replacing what played. Everything the view binds to the dock is let go when the page goes
// (`signal`).
import type { Engine } from '../engine/engine.js';
import { continueRadio, saveRadio, stillPlayable } from '../engine/radio.js';
import type { PlayList, Track } from '../engine/types.js';
import { rememberHearts } from '../page/hearts.js';
import { type HiddenSong, SONG_HIDDEN, SONG_RESTORED } from '../page/hide.js';
import { listPath, shareLink, snippetFor } from '../page/share.js';
import { bindCrossfadeControls, bindLoudnessControl, bindSleepControls } from './comforts.js';
import { bindSeekBar, bindVolume } from './controls.js';
import type { Toasts } from './toasts.js';
import { enhanceRow, markCurrent, rowFromTemplate, rowIndex } from './track-rows.js';

export interface PageContext {
  engine: Engine;
  toasts: Toasts;
  /** Aborts when the page goes: every listener on the dock is let go. */
  signal: AbortSignal;
  loggedIn: boolean;
  openShortcuts(): void;
}

export function mountPlayerView(root: HTMLElement, page: PlayList, { engine, toasts, signal, loggedIn, openShortcuts }: PageContext): void {
  const { audio, queue, transport } = engine;
  const list = root.querySelector<HTMLOListElement>('[data-tracks]')!;
  const template = root.querySelector<HTMLTemplateElement>('template[data-track-template]')!;
  const titleEl = root.querySelector<HTMLElement>('[data-now-title]')!;
  const artEl = root.querySelector<HTMLImageElement>('[data-now-art]');
  const listArt = artEl?.getAttribute('src') ?? '';
  const artistEl = root.querySelector<HTMLElement>('[data-now-artist]')!;
  const toggleButton = root.querySelector<HTMLButtonElement>('[data-action="toggle"]')!;
  const shareAnchor = root.querySelector<HTMLAnchorElement>('[data-share]');
  const embedShare = root.querySelector<HTMLDetailsElement>('[data-embed-share]');
  root.querySelector<HTMLElement>('[data-controls]')!.hidden = false;
  rememberHearts(page.songs);

  // The page's own list; `attached` once the dock plays it.
  let own: PlayList = page;
  let attached = engine.plays(page.source.key) && !page.radio?.fresh;
  if (page.radio?.fresh) {
    // A reload from here on continues this new radio instead of starting yet another.
    const url = new URL(location.href);
    url.searchParams.delete('fresh');
    history.replaceState(history.state, '', url);
    // "New playlist" while its radio plays: the new list takes over at once.
    if (engine.plays(page.source.key)) {
      engine.load(page, { play: !audio.paused });
      attached = true;
    }
  }
  if (!attached && page.radio) {
    const { list: continued, continued: fromSaved } = continueRadio(page, loggedIn);
    own = continued;
    // Said in a toast, not the page's note: a line appearing above the list would push it down (a layout shift).
    if (fromSaved) sayContinued(root, page.radio.name, toasts);
    // A visit that plays nothing still leaves the radio where this page put it: nothing was heard.
    if (own.cursor !== null) saveRadio(page.radio, own.cursor, own.songs);
    const saved = continued.songs.filter((t) => !page.songs.some((s) => s.id === t.id));
    if (saved.length && page.source.genre) {
      void stillPlayable(page.source.genre, saved).then((playable) => {
        if (!playable || attached || signal.aborted) return;
        own = { ...own, songs: own.songs.filter((t) => playable.has(t.id) || !saved.includes(t)) };
        if (page.radio && own.cursor !== null) saveRadio(page.radio, own.cursor, own.songs);
        renderAll();
      });
    }
  }

  const tracks = (): Track[] => (attached ? queue.from(0) : own.songs);
  const current = () => (attached ? queue.current() : -1);
  const seekBar = bindSeekBar(audio, root, signal);
  bindVolume(engine.levels, root, signal);
  bindSleepControls(root, engine.sleep, signal);
  bindCrossfadeControls(root, engine.crossfade, signal);
  bindLoudnessControl(root, engine.loudness, toasts.show, signal);

  const shareUrl = () => {
    const share = page.source.share;
    if (!share) return undefined;
    const from = attached ? engine.upcoming() : { tracks: own.songs, cursor: own.cursor };
    return from.tracks.length ? { page: listPath(share.page, from.tracks, from.cursor), embed: listPath(share.embed, from.tracks, from.cursor) } : undefined;
  };

  const showNow = () => {
    const track = tracks()[Math.max(0, current())];
    titleEl.textContent = track?.title ?? 'Nothing to play yet';
    if (track) artistEl.textContent = track.artist;
    // A song's own cover, else the list's artwork.
    const art = track?.artwork ?? listArt;
    if (artEl && artEl.getAttribute('src') !== art) artEl.src = art;
    const playing = attached && !audio.paused;
    root.classList.toggle('playing', playing);
    toggleButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    seekBar.follow(attached);
    const urls = shareUrl();
    if (shareAnchor && urls) shareAnchor.href = urls.page;
  };

  function renderAll() {
    if (!attached && own === page) list.querySelectorAll<HTMLElement>(':scope > li.track').forEach(enhanceRow);
    else list.replaceChildren(...tracks().map((t) => rowFromTemplate(template, t)));
    markCurrent(list, current());
    showNow();
  }

  /** Hands the page's list to the dock and plays it from `index`. */
  const adopt = (index: number) => {
    attached = true;
    engine.load(own, { index, play: true });
  };

  queue.subscribe((change) => {
    if (!attached) return;
    switch (change.type) {
      case 'append':
        list.append(...queue.from(change.from).map((t) => rowFromTemplate(template, t)));
        break;
      case 'remove':
        list.children[change.index]?.remove();
        markCurrent(list, current());
        break;
      case 'insert': {
        const row = rowFromTemplate(template, queue.track(change.index)!);
        list.insertBefore(row, list.children[change.index] ?? null);
        markCurrent(list, current());
        break;
      }
      case 'current':
        markCurrent(list, change.index);
        seekBar.reset(queue.track(change.index)?.duration ?? null);
        showNow();
        break;
      default:
        renderAll();
    }
  }, signal);

  // A song hidden from a list the dock does not play: this page drops it (and brings it back on Undo).
  const hiddenHere = (e: Event) => !attached && (e as CustomEvent<HiddenSong>).detail.genreId === page.hideFrom?.id;
  const hidden = new Map<number, { index: number; track: Track }>();
  document.addEventListener(
    SONG_HIDDEN,
    (e) => {
      if (!hiddenHere(e)) return;
      const { songId } = (e as CustomEvent<HiddenSong>).detail;
      const index = own.songs.findIndex((t) => t.id === songId);
      if (index < 0) return;
      hidden.set(songId, { index, track: own.songs[index]! });
      own = { ...own, songs: own.songs.filter((t) => t.id !== songId) };
      list.children[index]?.remove();
      showNow();
    },
    { signal },
  );
  document.addEventListener(
    SONG_RESTORED,
    (e) => {
      const back = hidden.get((e as CustomEvent<HiddenSong>).detail.songId);
      if (!hiddenHere(e) || !back) return;
      own = { ...own, songs: [...own.songs.slice(0, back.index), back.track, ...own.songs.slice(back.index)] };
      list.insertBefore(rowFromTemplate(template, back.track), list.children[back.index] ?? null);
      showNow();
    },
    { signal },
  );

  for (const type of ['play', 'pause']) audio.addEventListener(type, showNow, { signal });

  // A click on a row plays it, except on the row's own controls (heart, hide, add to playlist).
  list.addEventListener('click', (e) => {
    const target = e.target as Element;
    const li = target.closest<HTMLLIElement>('li.track');
    if (!li || (target.closest('form, a, details, button') && !target.closest('[data-play-row]'))) return;
    const index = rowIndex(li);
    if (attached) void transport.playAt(index);
    else adopt(index);
  });
  toggleButton.addEventListener('click', () => (attached ? transport.toggle() : adopt(0)));
  root.querySelector('[data-action="next"]')!.addEventListener('click', () => (attached ? transport.next() : adopt(Math.min(1, own.songs.length - 1))));
  root.querySelector('[data-action="previous"]')!.addEventListener('click', () => (attached ? transport.previous() : adopt(0)));
  root.querySelector('[data-action="shortcuts"]')?.addEventListener('click', openShortcuts);

  shareAnchor?.addEventListener('click', (e) => {
    const urls = shareUrl();
    if (!urls) return;
    e.preventDefault();
    void shareLink(urls.page, document.title, toasts);
  });
  if (embedShare) {
    const code = embedShare.querySelector<HTMLTextAreaElement>('[data-embed-code]')!;
    const original = code.value;
    embedShare.addEventListener('toggle', () => {
      const urls = shareUrl();
      if (embedShare.open && urls) code.value = snippetFor(original, urls.embed);
    });
  }

  renderAll();
  if (attached) seekBar.reset(queue.track(queue.current())?.duration ?? null);
  else seekBar.reset(own.songs[0]?.duration ?? null);
}

/** "Continuing your Weed · Chill radio", with the page's own "Start fresh" as the toast's action. */
function sayContinued(root: HTMLElement, name: string, toasts: Toasts): void {
  const fresh = root.querySelector<HTMLAnchorElement>('[data-action="start-fresh"]');
  toasts.show(`Continuing your ${name} radio.`, fresh ? { label: 'Start fresh', run: () => fresh.click() } : undefined);
}
