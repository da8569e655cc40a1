// Loudness as EBU R128 measures it, by ffmpeg's `ebur128` filter: the integrated loudness (LUFS)
// and the true peak (dBTP, from 4× oversampling). Why ffmpeg's meter: it is the reference the
// players we are compared with use (Jellyfin stores exactly these two figures from it), Debian
// ships it, and it decodes every format we accept; no maintained JavaScript meter does true peak.
import type { Loudness } from '../catalog/song-media.js';
import { AudioToolError, type Ffmpeg } from './ffmpeg.js';

/**
 * The meter, as a filter chain. Resampled to 48 kHz first: the meter's true-peak oversampling fails
 * on some rates (22.05 kHz, the demo songs'), and R128 is specified at 48 kHz anyway. `dualmono`: a
 * mono file is heard on both speakers, so it is measured as the stereo file it is played as.
 */
export const METER_FILTER = 'aresample=48000,ebur128=peak=true:dualmono=true:framelog=verbose';

/** The meter's summary, from what ffmpeg printed; throws when there is none. */
export function parseLoudness(log: string): Loudness {
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const lufs = /\bI:\s+(-?\d+(?:\.\d+)?) LUFS/.exec(summary)?.[1];
  const peak = /\bPeak:\s+(-?\d+(?:\.\d+)?|-inf) dBFS/.exec(summary)?.[1];
  if (!log.includes('Summary:') || lufs === undefined || peak === undefined) throw new AudioToolError('ffmpeg printed no loudness summary');
  return { lufs: Number(lufs), truePeakDb: peak === '-inf' ? null : Number(peak) };
}

/** Measures a file (or WAV bytes): its first audio stream. */
export async function measureLoudness(ffmpeg: Ffmpeg, input: string | Buffer, signal?: AbortSignal): Promise<Loudness> {
  const source = typeof input === 'string' ? input : 'pipe:0';
  const log = await ffmpeg.run(['-nostdin', '-i', source, '-map', '0:a:0', '-af', METER_FILTER, '-f', 'null', '-'], {
    input: typeof input === 'string' ? undefined : input,
    signal,
  });
  return parseLoudness(log);
}
