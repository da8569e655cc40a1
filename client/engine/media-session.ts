// The Media Session API: what lock screens, headsets and the browser's media hub show and control.

export interface SessionControls {
  play(): void;
  pause(): void;
  next(): void;
  previous(): void;
  seekTo(seconds: number): void;
  seekBy(seconds: number): void;
}

const supported = () => 'mediaSession' in navigator;

export function bindMediaSession(audio: HTMLAudioElement, controls: SessionControls): void {
  if (!supported()) return;
  const session = navigator.mediaSession;
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ['play', () => controls.play()],
    ['pause', () => controls.pause()],
    ['nexttrack', () => controls.next()],
    ['previoustrack', () => controls.previous()],
    ['seekto', (d) => d.seekTime != null && controls.seekTo(d.seekTime)],
    ['seekbackward', (d) => controls.seekBy(-(d.seekOffset ?? 10))],
    ['seekforward', (d) => controls.seekBy(d.seekOffset ?? 10)],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // this browser does not know the action
    }
  }
  const position = () => {
    if (!Number.isFinite(audio.duration) || audio.duration <= 0) return;
    try {
      session.setPositionState({ duration: audio.duration, position: Math.min(audio.currentTime, audio.duration), playbackRate: audio.playbackRate || 1 });
    } catch {
      // an inconsistent state during a source change
    }
  };
  audio.addEventListener('play', () => (session.playbackState = 'playing'));
  audio.addEventListener('pause', () => (session.playbackState = 'paused'));
  for (const type of ['durationchange', 'seeked', 'ratechange', 'playing']) audio.addEventListener(type, position);
}

export function showInMediaSession(track: { title: string; artist: string }, album: string, artwork: string | undefined): void {
  if (!supported() || typeof MediaMetadata === 'undefined') return;
  // A song's own cover is a PNG; a list's artwork an SVG, which platforms that cannot use it replace by their default.
  const src = artwork ? new URL(artwork, location.href) : undefined;
  const png = src?.pathname.startsWith('/media/covers/');
  const art = src
    ? [
        png
          ? { src: src.href, sizes: `${src.searchParams.get('size') ?? 512}x${src.searchParams.get('size') ?? 512}`, type: 'image/png' }
          : { src: src.href, sizes: '512x512', type: 'image/svg+xml' },
      ]
    : [];
  navigator.mediaSession.metadata = new MediaMetadata({ title: track.title, artist: track.artist, album, artwork: art });
}
