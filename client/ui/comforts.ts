// The full player's sleep-timer and crossfade buttons and their popover menus, and the loudness
// toggle, showing the dock's timer, crossfade and normalization (which go on while the listener
// browses) and changing them.
import type { Crossfade } from '../engine/crossfade.js';
import type { Normalizer } from '../engine/loudness.js';
import { formatLeft, SLEEP_CHOICES, type SleepTimer } from '../engine/sleep-timer.js';
import { focusOnOpen } from './popover.js';

export function bindSleepControls(root: HTMLElement, sleep: SleepTimer, signal: AbortSignal): void {
  const button = root.querySelector<HTMLButtonElement>('[data-sleep-button]');
  const menu = root.querySelector<HTMLElement>('[data-sleep-menu]');
  if (!button || !menu) return;
  const leftEl = button.querySelector<HTMLElement>('[data-sleep-left]')!;
  const stateEl = button.querySelector<HTMLElement>('[data-sleep-state]')!;
  const radios = [...menu.querySelectorAll<HTMLInputElement>('input[name="sleep"]')];

  let lastChoice: string | undefined;
  sleep.subscribe(({ choice, left }) => {
    const armed = choice !== 'off';
    if (String(choice) !== lastChoice) {
      lastChoice = String(choice);
      for (const radio of radios) radio.checked = radio.value === String(choice);
      leftEl.textContent = ''; // another choice's figure is not this one's
    }
    button.classList.toggle('armed', armed);
    if (armed && Number.isNaN(left)) {
      // No track loaded, or one still loading: the last figure if there is one, rather than a flash of 0:00.
      if (!leftEl.textContent) {
        leftEl.textContent = 'end';
        stateEl.textContent = ' of this track';
      }
      return;
    }
    leftEl.textContent = armed ? formatLeft(left) : '';
    stateEl.textContent = armed ? ' left' : 'off';
  }, signal);

  // Arrow keys move through the radios and choose as they go, so only a click or tap closes the menu.
  let byPointer = false;
  menu.addEventListener('pointerdown', () => (byPointer = true));
  menu.addEventListener('keydown', () => (byPointer = false));
  menu.addEventListener('change', (e) => {
    const value = (e.target as HTMLInputElement).value;
    sleep.set(SLEEP_CHOICES.find((c) => String(c) === value) ?? 'off');
    if (byPointer) menu.hidePopover();
  });
  focusOnOpen(menu);
}

export function bindCrossfadeControls(root: HTMLElement, crossfade: Crossfade, signal: AbortSignal): void {
  const input = root.querySelector<HTMLInputElement>('[data-crossfade]');
  const button = root.querySelector<HTMLButtonElement>('[data-crossfade-button]');
  if (!input || !button) return;
  const output = root.querySelector<HTMLElement>('[data-crossfade-output]')!;
  const valueEl = button.querySelector<HTMLElement>('[data-crossfade-value]')!;
  const stateEl = button.querySelector<HTMLElement>('[data-crossfade-state]')!;

  const show = (seconds: number) => {
    input.value = String(seconds);
    input.setAttribute('aria-valuetext', seconds ? `${seconds} seconds` : 'Off');
    output.textContent = seconds ? `${seconds} s` : 'Off';
    valueEl.textContent = seconds ? `${seconds} s` : '';
    stateEl.textContent = seconds ? '' : 'off';
    button.classList.toggle('armed', seconds > 0);
  };
  crossfade.subscribe(show, signal);
  input.addEventListener('input', () => crossfade.set(Number(input.value)));
  focusOnOpen(root.querySelector<HTMLElement>('[data-crossfade-menu]')!);
  show(crossfade.seconds());
}

/** What the toggle and the `l` key say. */
export const loudnessSaid = (on: boolean) => (on ? 'Even loudness on: every song plays at one level.' : 'Even loudness off: songs play as they were mastered.');

/** A toggle button (aria-pressed): every song at one loudness, or each as it was mastered. */
export function bindLoudnessControl(root: HTMLElement, loudness: Normalizer, toast: (text: string) => void, signal: AbortSignal): void {
  const button = root.querySelector<HTMLButtonElement>('[data-loudness-button]');
  if (!button) return;
  const show = (on: boolean) => {
    button.setAttribute('aria-pressed', String(on));
    button.classList.toggle('armed', on);
  };
  loudness.subscribe(show, signal);
  button.addEventListener('click', () => toast(loudnessSaid(loudness.toggle())));
  show(loudness.enabled());
}
