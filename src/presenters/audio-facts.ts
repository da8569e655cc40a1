// A song's audio in the admin's words: "3:05 · 1,411 kbit/s · 32.1 MB" and "−9.1 LUFS, true peak
// −0.3 dBTP" (or "loudness not measured"), so the song pages show every figure one way.
import type { Loudness } from '../catalog/song-media.js';

export interface AudioFigures {
  durationSeconds?: number | null;
  bitRate?: number | null;
  sizeBytes?: number | null;
}

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
// A real minus sign: "−9.1" reads as a negative number, "-9.1" as a dash.
const signed = (x: number) => (x < 0 ? `−${number.format(-x)}` : number.format(x));

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Length, bit rate and size, those that are known, joined by " · "; empty when none is. */
export function describeFile({ durationSeconds, bitRate, sizeBytes }: AudioFigures): string {
  return [
    durationSeconds ? duration(durationSeconds) : undefined,
    bitRate ? `${number.format(bitRate)} kbit/s` : undefined,
    sizeBytes ? `${number.format(sizeBytes / 1_000_000)} MB` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "−9.1 LUFS, true peak −0.3 dBTP", or "loudness not measured". */
export function describeLoudness(loudness: Loudness | null): string {
  if (!loudness) return 'loudness not measured';
  const peak = loudness.truePeakDb === null ? '' : `, true peak ${signed(loudness.truePeakDb)} dBTP`;
  return `${signed(loudness.lufs)} LUFS${peak}`;
}
