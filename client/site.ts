// The site's script, on every page. Hotwire Turbo (Drive) turns links and forms inside the site
// into fetches that swap the page's <body>, keeping the dock (views/partials/dock.ejs: the one
// <audio>, the mini-player, the toasts) alive: the music never stops while the listener browses.
// Why Turbo rather than htmx or a router of our own: its unit is the whole page, as the server
// renders it for a first load, a crawler or a browser without JavaScript; it keeps history, scroll
// positions and <title> as a full load would, follows redirects and re-renders refused forms
// (4xx), keeps elements marked data-turbo-permanent, and needs no inline script or eval.
//
// What must go on across pages is bound once, here: the dock's engine, and document-wide
// listeners for hearts, hides, "add to playlist", copy buttons, menus and keys. What belongs to a
// page (a full player, a list) is mounted for each rendered body and let go when it goes, so 50
// visits bind nothing twice.
import '@hotwired/turbo';
import { csrfToken } from './csrf.js';
import { createEngine, type Engine } from './engine/engine.js';
import type { PlayList } from './engine/types.js';
import { bindAddToPlaylist } from './page/add-to-playlist.js';
import { bindHearts, toggleFavorite } from './page/hearts.js';
import { bindHiding, hidePlaying, type Hiding } from './page/hide.js';
import { mountContinue } from './page/home.js';
import { bindMenus } from './page/menus.js';
import { bindCopyButtons } from './page/share.js';
import { registerServiceWorker } from './service-worker.js';
import { restoreLevels, toggleMute } from './ui/controls.js';
import { loudnessSaid } from './ui/comforts.js';
import { bindMiniPlayer } from './ui/mini-player.js';
import { mountPlayerView } from './ui/player-view.js';
import { bindKeyboard, bindShortcutsDialog, type ShortcutsDialog } from './ui/shortcuts.js';
import { mountSongListView } from './ui/song-list-view.js';
import { bindToasts, type Toasts } from './ui/toasts.js';

registerServiceWorker();
const dock = document.querySelector<HTMLElement>('[data-dock]');
if (dock) start(dock);

function start(dock: HTMLElement): void {
  document.documentElement.classList.add('js');
  dock.hidden = false;
  const audio = dock.querySelector<HTMLAudioElement>('audio[data-audio]')!;
  const extra = (name: string) => {
    const element = document.createElement('audio');
    element.hidden = true;
    element.setAttribute(name, '');
    audio.after(element);
    return element;
  };
  const toasts = bindToasts(dock.querySelector<HTMLElement>('[data-toasts]')!);
  const announcer = dock.querySelector<HTMLElement>('[data-announcer]')!;
  const engine = createEngine(
    { audio, tail: extra('data-crossfade-tail'), preloader: extra('data-preload') },
    { toast: toasts.show, announce: (text) => (announcer.textContent = text) },
  );
  restoreLevels(engine.levels);
  bindMiniPlayer(dock.querySelector<HTMLElement>('[data-mini]')!, engine);
  const dialog = bindShortcutsDialog(dock.querySelector<HTMLDialogElement>('dialog[data-shortcuts]')!, null);
  bindHearts(toasts.show);
  const hiding = bindHiding(engine, toasts);
  bindAddToPlaylist(toasts);
  bindCopyButtons(toasts);
  bindMenus();
  bindKeys(engine, hiding, toasts, dialog);
  keepDockThroughErrorPages();
  followPages(engine, toasts, dialog);
}

function bindKeys(engine: Engine, hiding: Hiding, toasts: Toasts, dialog: ShortcutsDialog): void {
  const { transport, queue } = engine;
  bindKeyboard(
    {
      ...transport,
      favorite: () => {
        const track = queue.track(queue.current());
        if (track) void toggleFavorite(track.id, toasts.show);
      },
      hide: () => hidePlaying(engine, hiding, toasts.show),
      sleep: () => engine.sleep.cycle(),
      crossfade: () => {
        const seconds = engine.crossfade.cycle();
        toasts.show(seconds ? `Crossfade: ${seconds} seconds.` : 'Crossfade off.');
      },
      loudness: () => toasts.show(loudnessSaid(engine.loudness.toggle())),
      mute: () => {
        toggleMute(engine.levels);
        toasts.show(engine.levels.muted() ? 'Muted.' : 'Sound on.');
      },
    },
    dialog,
  );
}

/**
 * A page that answers 404 or 503 is rendered by Turbo as an error page, which replaces the whole
 * <body> without keeping permanent elements: the live dock is carried into the new body instead of
 * the error page's empty one, in the same synchronous step, so the <audio> never leaves the page.
 */
function keepDockThroughErrorPages(): void {
  document.addEventListener('turbo:before-render', (e) => {
    const detail = (e as CustomEvent<{ render: (current: HTMLElement, next: HTMLElement) => unknown }>).detail;
    const render = detail.render;
    detail.render = (current, next) => {
      const live = document.getElementById('dock');
      const empty = next.querySelector('#dock');
      if (live && empty && empty !== live) empty.replaceWith(live);
      return render(current, next);
    };
  });
}

/** Mounts each page's own parts when its body is rendered, and lets them go when it leaves. */
function followPages(engine: Engine, toasts: Toasts, dialog: ShortcutsDialog): void {
  let page: AbortController | undefined;
  const mounted = new WeakSet<HTMLElement>();
  const mount = () => {
    if (mounted.has(document.body)) return;
    mounted.add(document.body);
    page?.abort();
    page = new AbortController();
    mountPage({ engine, toasts, signal: page.signal, loggedIn: Boolean(csrfToken()), openShortcuts: dialog.open });
  };
  document.addEventListener('turbo:before-render', () => page?.abort());
  // Every new body: a visit, a refused form shown again, a page restored from history.
  document.addEventListener('turbo:render', mount);
  // After a visit, focus goes to the new page's heading (or a field that needs fixing), as a screen reader expects of a new page.
  document.addEventListener('turbo:load', (e) => {
    mount();
    if ((e as CustomEvent<{ timing: { visitStart?: number } }>).detail?.timing?.visitStart) focusPage();
  });
  document.addEventListener('turbo:render', () => document.querySelector('[aria-invalid="true"]') && focusPage());
  // Offline, a visit cannot fetch its page: say so, and stay (Turbo would reload into the offline page).
  document.addEventListener('turbo:before-visit', (e) => {
    if (navigator.onLine) return;
    e.preventDefault();
    toasts.show('You are offline: that page opens once you are back online.');
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
  else mount();
}

function focusPage(): void {
  const target =
    document.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    document.querySelector<HTMLElement>('main h1') ??
    document.querySelector<HTMLElement>('main');
  if (!target || target.contains(document.activeElement)) return;
  if (!target.matches('input, select, textarea, button, a[href]') && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

function mountPage(context: Parameters<typeof mountPlayerView>[2]): void {
  const data = document.getElementById('playlist-data');
  const list = data ? (JSON.parse(data.textContent ?? '{}') as PlayList) : undefined;
  const player = document.querySelector<HTMLElement>('[data-player]');
  const songList = document.querySelector<HTMLElement>('[data-song-list]');
  if (list && player) mountPlayerView(player, list, context);
  else if (list && songList) mountSongListView(songList, list, context);
  // Copy buttons need the script: shown only with it.
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy][hidden]')) button.hidden = false;
  const continueBox = document.querySelector<HTMLElement>('[data-continue]');
  if (continueBox) mountContinue(continueBox);
}
