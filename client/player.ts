// The player: progressive enhancement of the server-rendered track list. Without this script every
// track keeps its own <audio controls>; with it, one audio element plays the list in order,
// advances by itself, and fetches the next batch of the walk when the list runs out. This file
// only wires the parts together; each owns one concern.
import { bindContinuation } from './continuation.js';
import { bindCrossfade } from './crossfade.js';
import { bindLevels } from './fade.js';
import { bindHiding } from './hide.js';
import { bindSeekBar, bindVolume } from './controls.js';
import { csrfToken } from './csrf.js';
import { pressHeart } from './favorites.js';
import { bindMediaSession } from './media-session.js';
import { bindNowPlaying } from './now-playing.js';
import type { PlaylistData } from './playlist.types.js';
import { bindPlayReports } from './plays.js';
import { bindQueue } from './queue.js';
import { bindRadio } from './radio.js';
import { registerServiceWorker } from './service-worker.js';
import { bindKeyboard, bindShortcutsDialog } from './shortcuts.js';
import { bindSleepTimer } from './sleep-timer.js';
import { bindTransport } from './transport.js';

// This script is on every page, the player only on some: the service worker is for all of them.
registerServiceWorker();

const root = document.querySelector<HTMLElement>('[data-player]');
const dataElement = document.getElementById('playlist-data');
if (root && dataElement) start(root, JSON.parse(dataElement.textContent ?? '{}') as PlaylistData);

function start(root: HTMLElement, data: PlaylistData): void {
  document.documentElement.classList.add('js');
  root.querySelector<HTMLElement>('[data-controls]')!.hidden = false;
  const audio = root.querySelector<HTMLAudioElement>('[data-audio]')!;

  const nowPlaying = bindNowPlaying(root);
  const list = root.querySelector<HTMLOListElement>('[data-tracks]')!;
  // The songs a listener hides leave the list at once; the transport moves on if one was playing.
  const hiding = data.hideFrom
    ? bindHiding(list, data.hideFrom.id, nowPlaying.notify, (songId) => {
        const index = queue.remove(songId);
        if (index >= 0) transport.removed(index);
      })
    : undefined;
  const queue = bindQueue(list, data.songs, nowPlaying.notify, hiding?.button);
  // A logged-in listener's page carries a CSRF token; the server keeps their radio's place too.
  const loggedIn = Boolean(csrfToken());
  const continuation = bindContinuation(data.api, data.cursor, queue, Boolean(data.radio) && loggedIn);
  const radio = data.radio ? bindRadio(data.radio, root, queue, continuation, loggedIn) : undefined;
  const seekBar = bindSeekBar(audio, root);
  const plays = bindPlayReports(audio, root.dataset.genre);
  const levels = bindLevels([audio]);
  const transport = bindTransport(audio, root, {
    queue,
    more: continuation.more,
    started(track, index) {
      seekBar.reset(track.duration);
      queue.markCurrent(index);
      nowPlaying.show(track);
      plays.started(track);
      continuation.keepAhead(index);
      radio?.started(index);
      crossfade?.started();
    },
    say: nowPlaying,
  });
  queue.onPick((index) => void transport.playAt(index));
  // The embedded player (views/embed/player.ejs) has no room for these two: its keys do nothing there.
  const sleep = root.querySelector('[data-sleep-button]') ? bindSleepTimer(root, { audio, levels, transport, notify: nowPlaying.notify }) : undefined;
  const crossfade = root.querySelector('[data-crossfade]')
    ? bindCrossfade(root, {
        audio,
        levels,
        transport,
        hasTrack: (index) => queue.track(index) !== undefined,
        allowed: () => !sleep?.endsWithTrack(),
        notify: nowPlaying.notify,
      })
    : undefined;

  bindVolume(levels, root);
  bindMediaSession(audio, transport);
  // Nor for the shortcuts' sheet, though the keys work.
  const sheet = root.querySelector<HTMLDialogElement>('[data-shortcuts]');
  const dialog = sheet ? bindShortcutsDialog(sheet, root.querySelector('[data-action="shortcuts"]')) : { open() {}, isOpen: () => false };
  const hideCurrent = () => {
    const track = queue.track(transport.current());
    if (track && hiding) void hiding.hide(track.id);
  };
  bindKeyboard(
    {
      ...transport,
      favorite: () => pressHeart(queue.row(transport.current())),
      hide: hideCurrent,
      sleep: () => sleep?.cycle(),
      crossfade: () => crossfade?.cycle(),
    },
    dialog,
  );
}
