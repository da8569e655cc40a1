// The script of the embedded player (views/embed/player.ejs), which other sites frame: no Turbo
// and no dock there — the card is the whole page — but the same engine and full player view as
// the site's, so it plays, continues and recovers alike.
import { createEngine } from './engine/engine.js';
import type { PlayList } from './engine/types.js';
import { restoreLevels, toggleMute } from './ui/controls.js';
import { mountPlayerView } from './ui/player-view.js';
import { bindKeyboard } from './ui/shortcuts.js';

const root = document.querySelector<HTMLElement>('[data-player]');
const data = document.getElementById('playlist-data');
if (root && data) start(root, JSON.parse(data.textContent ?? '{}') as PlayList);

function start(root: HTMLElement, list: PlayList): void {
  document.documentElement.classList.add('js');
  const audio = root.querySelector<HTMLAudioElement>('audio[data-audio]')!;
  const extra = () => {
    const element = document.createElement('audio');
    element.hidden = true;
    audio.after(element);
    return element;
  };
  const announcer = root.querySelector<HTMLElement>('[data-announcer]')!;
  const say = (text: string) => (announcer.textContent = text);
  const engine = createEngine({ audio, tail: extra(), preloader: extra() }, { toast: say, announce: say });
  restoreLevels(engine.levels);
  engine.load(list);
  const noDialog = { open() {}, isOpen: () => false };
  mountPlayerView(root, list, { engine, toasts: { show: say }, signal: new AbortController().signal, loggedIn: false, openShortcuts: noDialog.open });
  bindKeyboard(
    {
      ...engine.transport,
      favorite() {},
      hide() {},
      sleep: () => engine.sleep.cycle(),
      crossfade: () => engine.crossfade.cycle(),
      loudness: () => engine.loudness.toggle(),
      mute: () => toggleMute(engine.levels),
    },
    noDialog,
  );
}
