// A tiny offline synthesizer: every demo song is rendered from its seed (e.g. `weed-groovin-07`), so
// the radio plays with no internet and no audio files in the repo. Pure and deterministic: no I/O,
// no Math.random. The seed's first word picks the style, the rest of it key, tempo, chords and tune.
import { Buffer } from 'node:buffer';
import { hashString, seededRandom } from '../random.js';

export const DEMO_SAMPLE_RATE = 22050;
const SR = DEMO_SAMPLE_RATE;
const MIN_SECONDS = 25;
const MAX_SECONDS = 70;
const PEAK = 10 ** (-3 / 20); // the master is normalized to -3 dBFS

// ---- seeding ------------------------------------------------------------------------------------

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** Whole seconds in 25..70, so the catalog can store a song's length without rendering it. */
export function demoTrackDuration(seed: string): number {
  return MIN_SECONDS + (hashString(seed) % (MAX_SECONDS - MIN_SECONDS + 1));
}

// ---- oscillators, envelopes, drums, effects -----------------------------------------------------

// Wavetables read through a fixed-point phase (12 bits of index, 16 of fraction, so it stays a small
// integer): an add, a mask and a lookup per sample instead of a Math.sin. That, and the block envelope
// below, is what keeps a 70 s render well under 100 ms.
const TABLE_BITS = 12;
const FRAC_BITS = 16;
const PHASE_MASK = 2 ** (TABLE_BITS + FRAC_BITS) - 1;
function wavetable(harmonics: number[]): Float32Array {
  const size = 2 ** TABLE_BITS;
  const table = new Float32Array(size);
  harmonics.forEach((amp, k) => {
    for (let i = 0; i < size; i++) table[i]! += amp * Math.sin((2 * Math.PI * (k + 1) * i) / size);
  });
  const peak = table.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
  return table.map((v) => v / peak);
}
const SINE = wavetable([1]);
const TRIANGLE = wavetable([1, 0, -1 / 9, 0, 1 / 25]); // soft, flute/e-piano-ish
const WARM = wavetable([1, 0.42, 0.24, 0.14, 0.08, 0.05]); // a rolled-off saw: full but not buzzy

interface Voice {
  wave: Float32Array;
  amp: number;
  attack: number; // seconds of fade-in; never 0, a jump out of silence is a click
  release: number; // seconds of fade-out after the note's length
  decay?: number; // exponential time constant in seconds, for plucks and keys
  cents?: number; // detune
  vibrato?: [hz: number, depth: number]; // depth as a frequency ratio: 0.004 ≈ 7 cents
}

// The envelope and vibrato only change audibly over milliseconds, so they are evaluated once per block
// and the gain is ramped linearly in between: the inner loop is just the oscillator.
const BLOCK = 128; // ≈ 6 ms
function addNote(out: Float32Array, at: number, dur: number, midi: number, v: Voice): void {
  const start = Math.round(at * SR);
  const holdEnd = start + Math.round(dur * SR);
  const attackN = Math.max(1, v.attack * SR);
  const releaseN = Math.max(1, v.release * SR);
  const end = Math.min(out.length, Math.ceil(holdEnd + releaseN));
  const decayPerBlock = v.decay ? Math.exp(-BLOCK / (v.decay * SR)) : 1;
  const baseInc = Math.round(440 * 2 ** ((midi - 69 + (v.cents ?? 0) / 100) / 12) * ((PHASE_MASK + 1) / SR));
  const [vibHz, vibDepth] = v.vibrato ?? [0, 0];
  // Locals rather than module constants: V8 re-checks module-scope bindings on each use in a hot loop.
  const wave = v.wave;
  const mask = PHASE_MASK;
  const shift = FRAC_BITS;
  let phase = 0;
  let gain = 0;
  let level = v.amp;
  for (let block = start; block < end; block += BLOCK) {
    const blockEnd = Math.min(end, block + BLOCK);
    level *= decayPerBlock;
    const shape = Math.min(1, (blockEnd - start) / attackN, 1 - (blockEnd - holdEnd) / releaseN);
    const step = (level * Math.max(0, shape) - gain) / (blockEnd - block);
    const vib = vibDepth * Math.sin((2 * Math.PI * vibHz * block) / SR);
    const inc = vib ? Math.round(baseInc * (1 + vib)) : baseInc;
    for (let i = block; i < blockEnd; i++) {
      out[i]! += gain * wave[phase >> shift]!;
      gain += step;
      phase = (phase + inc) & mask;
    }
  }
}

// Drums are rendered once per process and mixed in as samples, each with a 5 ms fade at both ends.
function oneShot(seconds: number, fn: (t: number) => number): Float32Array {
  const shot = new Float32Array(Math.round(seconds * SR));
  const fade = 0.005 * SR;
  for (let i = 0; i < shot.length; i++) shot[i] = fn(i / SR) * Math.min(1, i / fade, (shot.length - i) / fade);
  return shot;
}
/** White noise minus its low-passed self: a "tss" without the rumble. */
function hiss(seed: number, cutoff: number): () => number {
  const rng = seededRandom(seed);
  let low = 0;
  return () => {
    const x = rng() * 2 - 1;
    low += cutoff * (x - low);
    return x - low;
  };
}
// The kick's pitch falls 155 → 45 Hz; its phase is the integral of that sweep, so it stays continuous.
const sine = (hz: number, t: number): number => Math.sin(2 * Math.PI * hz * t);
const KICK = oneShot(0.4, (t) => sine(1, 45 * t + 110 * 0.035 * (1 - Math.exp(-t / 0.035))) * Math.exp(-t / 0.22));
const hat = hiss(7, 0.6);
const HAT = oneShot(0.07, (t) => hat() * Math.exp(-t / 0.018));
const snare = hiss(11, 0.15);
const SNARE = oneShot(0.2, (t) => 0.6 * snare() * Math.exp(-t / 0.06) + 0.5 * sine(185, t) * Math.exp(-t / 0.04));

function addShot(out: Float32Array, shot: Float32Array, at: number, amp: number): void {
  const start = Math.round(at * SR);
  const end = Math.min(out.length, start + shot.length);
  for (let i = start; i < end; i++) out[i]! += amp * shot[i - start]!;
}
/** Feedback delay, in place: every echo is the previous one, quieter. */
function echo(bus: Float32Array, seconds: number, feedback: number): void {
  const d = Math.round(seconds * SR);
  for (let i = d; i < bus.length; i++) bus[i]! += feedback * bus[i - d]!;
}
function lowpass(buf: Float32Array, hz: number): void {
  const a = 1 - Math.exp((-2 * Math.PI * hz) / SR);
  let y = 0;
  for (let i = 0; i < buf.length; i++) buf[i] = y += a * (buf[i]! - y);
}

// ---- music --------------------------------------------------------------------------------------

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
const DORIAN = [0, 2, 3, 5, 7, 9, 10];
const LYDIAN = [0, 2, 4, 6, 7, 9, 11];
// scale degrees from 0: I–vi–IV–V, I–IV–V–IV, vi–IV–I–V, ii–V–I–I, I–V–vi–IV, I–VII–VI–VII
const PROGRESSIONS = [
  [0, 5, 3, 4],
  [0, 3, 4, 3],
  [5, 3, 0, 4],
  [1, 4, 0, 0],
  [0, 4, 5, 3],
  [0, 6, 5, 6],
];

const KEYS: Voice = { wave: TRIANGLE, amp: 0.09, attack: 0.03, release: 0.4, decay: 2.5 };
const PAD: Voice = { wave: WARM, amp: 0.035, attack: 0.25, release: 0.3 };
const BASS: Voice = { wave: SINE, amp: 0.32, attack: 0.01, release: 0.15 };
const PLUCK: Voice = { wave: TRIANGLE, amp: 0.1, attack: 0.004, release: 0.05, decay: 0.15 };
const BELL: Voice = { wave: SINE, amp: 0.12, attack: 0.005, release: 0.2, decay: 0.5 };

/** What a style plays with. Times are in beats from the start of the song. */
interface Song {
  rng: Rng;
  bars: number;
  wet: Float32Array; // the bus that goes through the style's echo (tone/hit write to the dry one)
  note(degree: number, octave?: number): number; // scale degree (7 = an octave up) → MIDI note
  root(bar: number): number; // the bar's chord, as the scale degree of its root
  chord(bar: number, size: number): number[]; // the bar's chord in stacked thirds, as MIDI notes
  tone(at: number, beats: number, midi: number, v: Voice, bus?: Float32Array): void;
  hit(shot: Float32Array, at: number, amp: number): void;
  /** Plays a one-bar figure of chord-tone offsets (null = rest) over the bar's chord. */
  riff(bar: number, figure: (number | null)[], octave: number, v: Voice, bus?: Float32Array): void;
}
/** A figure is drawn once per song and repeated: repetition is what makes it sound like a tune. */
const figure = (rng: Rng, steps: number, density: number): (number | null)[] =>
  Array.from({ length: steps }, () => (rng() < density ? pick(rng, [0, 2, 4, 4, 7, 9]) : null));

interface Style {
  bpm: [number, number];
  scales: number[][];
  barsPerChord: number;
  echo?: { beats: number; feedback: number; gain: number };
  lowpassHz?: number;
  play(s: Song): void;
}

const STYLES: Record<string, Style> = {
  // lo-fi: lazy swung drums, seventh chords on soft keys, a sparse sine melody, all of it low-passed
  weed: {
    bpm: [75, 90],
    scales: [MAJOR, DORIAN],
    barsPerChord: 1,
    lowpassHz: 3200,
    play(s) {
      const tune = figure(s.rng, 8, 0.45);
      for (let bar = 0, t = 0; bar < s.bars; bar++, t += 4) {
        for (const m of s.chord(bar, 4)) s.tone(t, 3.8, m, KEYS);
        for (const b of [0, 2.5]) s.tone(t + b, 1.2, s.note(s.root(bar), -1), BASS);
        for (const b of [0, 2.5]) s.hit(KICK, t + b, 0.45);
        for (const b of [1, 3]) s.hit(SNARE, t + b, 0.22);
        for (let b = 0; b < 4; b++) for (const swing of [0, 0.62]) s.hit(HAT, t + b + swing, 0.07);
        if (bar % 4 !== 0) s.riff(bar, tune, 1, { ...BELL, decay: 0.4 });
      }
    },
  },
  // house/trance: a kick on every beat, hat and plucked bass on the off-beats, a pad, a 16th lead after the intro
  ecstasy: {
    bpm: [120, 128],
    scales: [MINOR],
    barsPerChord: 1,
    echo: { beats: 0.75, feedback: 0.3, gain: 0.8 },
    play(s) {
      const lead = figure(s.rng, 16, 0.6);
      for (let bar = 0, t = 0; bar < s.bars; bar++, t += 4) {
        for (const m of s.chord(bar, 3)) for (const cents of [-8, 8]) s.tone(t, 4, m, { ...PAD, cents });
        for (let b = 0; b < 4; b++) {
          s.hit(KICK, t + b, 0.9);
          s.hit(HAT, t + b + 0.5, 0.3);
          s.tone(t + b + 0.5, 0.35, s.note(s.root(bar), -1), { ...PLUCK, wave: WARM, amp: 0.22 });
        }
        if (bar >= 4) s.riff(bar, lead, 1, { ...PLUCK, decay: 0.12 }, s.wet);
      }
    },
  },
  // hypnotic: a 16th arpeggio whose pattern length doesn't divide the bar, dotted-8th echoes, a drone
  shrooms: {
    bpm: [96, 112],
    scales: [DORIAN, MINOR],
    barsPerChord: 2,
    echo: { beats: 0.75, feedback: 0.5, gain: 1 },
    play(s) {
      const pattern = pick(s.rng, [
        [0, 1, 2, 3, 2],
        [0, 2, 1, 3, 2, 4],
        [0, 1, 2, 1, 3, 2, 4],
      ]);
      for (let bar = 0, t = 0, step = 0; bar < s.bars; bar++, t += 4) {
        const drone = { ...BASS, amp: 0.14, attack: 1, release: 1 };
        if (bar % 2 === 0) for (const d of [0, 4]) s.tone(t, 8, s.note(s.root(bar) + d, -1), drone);
        const tones = s.chord(bar, 5);
        for (let k = 0; k < 16; k++, step++) {
          s.tone(t + k / 4, 0.2, tones[pattern[step % pattern.length]!]! + 12, PLUCK, s.wet);
          s.hit(HAT, t + k / 4, k % 2 ? 0.03 : 0.05);
        }
        for (let b = 0; b < 4; b++) s.hit(KICK, t + b, 0.4);
      }
    },
  },
  // psychedelic drift: pads of two detuned voices per note (they beat slowly) with vibrato, a sub, bells
  lsd: {
    bpm: [64, 80],
    scales: [LYDIAN, MAJOR],
    barsPerChord: 2,
    echo: { beats: 1, feedback: 0.45, gain: 0.9 },
    play(s) {
      const pad: Voice = { ...PAD, amp: 0.05, attack: 1.5, release: 1.2, vibrato: [0.25 + s.rng() * 0.3, 0.004] };
      for (let bar = 0, t = 0; bar < s.bars; bar += 2, t += 8) {
        for (const m of s.chord(bar, 3)) for (const cents of [-10, 10]) s.tone(t, 8, m, { ...pad, cents });
        s.tone(t, 8, s.note(s.root(bar), -1), { ...BASS, amp: 0.2, attack: 0.8, release: 1.5 });
        for (let b = 0; b < 8; b++) {
          if (s.rng() < 0.3) s.tone(t + b, 1, s.note(s.root(bar) + pick(s.rng, [0, 2, 4, 7]), 2), BELL, s.wet);
        }
      }
    },
  },
  // anything else: plain pop-ish backing, so unknown seeds still sound fine
  neutral: {
    bpm: [90, 104],
    scales: [MAJOR],
    barsPerChord: 1,
    play(s) {
      const tune = figure(s.rng, 8, 0.5);
      for (let bar = 0, t = 0; bar < s.bars; bar++, t += 4) {
        for (const m of s.chord(bar, 3)) s.tone(t, 3.9, m, { ...BASS, amp: 0.1, attack: 0.05, release: 0.3 });
        for (const b of [0, 2]) s.tone(t + b, 1.5, s.note(s.root(bar), -1), { ...BASS, wave: TRIANGLE, amp: 0.25 });
        for (const b of [0, 2]) s.hit(KICK, t + b, 0.5);
        for (let b = 0; b < 4; b++) s.hit(HAT, t + b + 0.5, 0.08);
        s.riff(bar, tune, 1, { ...PLUCK, release: 0.15, decay: 0.4 });
      }
    },
  },
};

// ---- render -------------------------------------------------------------------------------------

/** A complete WAV file (PCM 16-bit mono, 22050 Hz) of demoTrackDuration(seed) seconds; same seed, same bytes. */
export function renderDemoTrack(seed: string): Buffer {
  const style = STYLES[seed.split('-')[0]!] ?? STYLES.neutral!;
  const seconds = demoTrackDuration(seed);
  const rng = seededRandom(hashString(`song:${seed}`)); // a different stream from the duration's
  const key = between(rng, 45, 56); // A2..G#3
  const scale = pick(rng, style.scales);
  const chords = pick(rng, PROGRESSIONS);
  const beat = 60 / between(rng, style.bpm[0], style.bpm[1]);
  const out = new Float32Array(seconds * SR);
  const wet = new Float32Array(seconds * SR);
  const note = (degree: number, octave = 0): number => key + 12 * (octave + Math.floor(degree / 7)) + scale[((degree % 7) + 7) % 7]!;
  const root = (bar: number): number => chords[Math.floor(bar / style.barsPerChord) % chords.length]!;
  const tone: Song['tone'] = (at, beats, midi, v, bus = out) => addNote(bus, at * beat, beats * beat, midi, v);
  style.play({
    rng,
    wet,
    note,
    root,
    tone,
    bars: Math.ceil(seconds / (4 * beat)),
    chord: (bar, size) => Array.from({ length: size }, (_, k) => note(root(bar) + 2 * k)),
    hit: (shot, at, amp) => addShot(out, shot, at * beat, amp),
    riff: (bar, fig, octave, v, bus) =>
      fig.forEach((offset, k) => {
        const step = 4 / fig.length;
        if (offset !== null) tone(bar * 4 + k * step, step * 0.8, note(root(bar) + offset, octave), v, bus);
      }),
  });

  if (style.echo) {
    echo(wet, style.echo.beats * beat, style.echo.feedback);
    const wetGain = style.echo.gain;
    for (let i = 0; i < out.length; i++) out[i]! += wetGain * wet[i]!;
  }
  if (style.lowpassHz) lowpass(out, style.lowpassHz);
  // Fade the edges so the track never starts or stops on a click, then normalize to the target peak.
  const total = out.length;
  const fadeIn = Math.round(0.3 * SR);
  const fadeOut = 2 * SR;
  for (let i = 0; i < fadeIn; i++) out[i]! *= i / fadeIn;
  for (let i = 1; i <= fadeOut; i++) out[total - i]! *= (i - 1) / fadeOut;
  let peak = 1e-9;
  for (let i = 0; i < total; i++) peak = Math.max(peak, Math.abs(out[i]!));
  const gain = (PEAK * 32767) / peak;

  const wav = Buffer.from(new ArrayBuffer(44 + total * 2)); // its own ArrayBuffer, so the view is aligned
  writeWavHeader(wav, total);
  const pcm = new Int16Array(wav.buffer, 44, total);
  for (let i = 0; i < total; i++) {
    const x = out[i]! * gain;
    pcm[i] = x < 0 ? x - 0.5 : x + 0.5; // rounds: an Int16Array store truncates toward zero
  }
  if (!LITTLE_ENDIAN) wav.subarray(44).swap16(); // WAV is little-endian; typed arrays use the CPU's order
  return wav;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeWavHeader(wav: Buffer, samples: number): void {
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(SR, 24);
  wav.writeUInt32LE(SR * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per sample frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
}
