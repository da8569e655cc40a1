// The compressed copy of a lossless song (a WAV or FLAC upload, a demo song) that listeners stream,
// while the original stays for download. AAC-LC in MP4 (.m4a) at 64 kbit/s per channel (128 kbit/s
// stereo, 64 mono): AAC plays in every browser, Safari and iOS included, which Opus in Ogg does
// not; at that rate ffmpeg's own encoder is transparent for most listening, and a stereo song costs
// 58 MB an hour instead of a CD-quality WAV's 635 MB. `+faststart` puts the index first, so a
// player starts after the first bytes rather than fetching the end of the file.
import fs from 'node:fs';
import type { Loudness } from '../catalog/song-media.js';
import type { Ffmpeg } from './ffmpeg.js';
import { METER_FILTER, parseLoudness } from './loudness.js';

export const WEB_COPY_EXTENSION = 'm4a';
export const WEB_COPY_KBIT_PER_CHANNEL = 64;

/**
 * Encodes `input` (a file, or WAV bytes) into `output` and measures its loudness in the same pass
 * (the meter reads the original, before the encoder). Written to a temp name and renamed, so a
 * half-written copy is never served; on failure nothing is left behind.
 */
export async function encodeWebCopy(
  ffmpeg: Ffmpeg,
  input: string | Buffer,
  output: string,
  { channels = 2, signal }: { channels?: number; signal?: AbortSignal } = {},
): Promise<{ loudness: Loudness }> {
  const outChannels = Math.min(2, Math.max(1, channels));
  const temp = `${output}.${process.pid}.part`;
  try {
    const log = await ffmpeg.run(
      [
        '-nostdin',
        '-y',
        '-i',
        typeof input === 'string' ? input : 'pipe:0',
        '-filter_complex',
        `[0:a:0]asplit=2[out][meter];[meter]${METER_FILTER},anullsink`,
        '-map',
        '[out]',
        '-map_metadata',
        '-1',
        '-ac',
        String(outChannels),
        '-c:a',
        'aac',
        '-b:a',
        `${WEB_COPY_KBIT_PER_CHANNEL * outChannels}k`,
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        temp,
      ],
      { input: typeof input === 'string' ? undefined : input, signal },
    );
    const loudness = parseLoudness(log);
    await fs.promises.rename(temp, output);
    return { loudness };
  } finally {
    await fs.promises.rm(temp, { force: true });
  }
}
