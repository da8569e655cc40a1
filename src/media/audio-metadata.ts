// What an audio file says of itself: its length, its bit rate and its size, as Subsonic apps show
// them. music-metadata reads the container's own headers (MP3 frames, Ogg pages, MP4 atoms, FLAC
// and WAV blocks) in JavaScript, with no ffprobe or other program to install; it reads tags too,
// so this module is where the catalog will read titles and artists from files.
import fs from 'node:fs';
import { parseFile } from 'music-metadata';

export interface AudioFacts {
  sizeBytes: number;
  /** Whole seconds, when the file tells. */
  durationSeconds?: number;
  /** kbit/s, when the file tells (or its size and length do). */
  bitRate?: number;
}

/** The file's facts; a file whose headers cannot be read still has its size. */
export async function readAudioFacts(file: string): Promise<AudioFacts> {
  const { size } = await fs.promises.stat(file);
  try {
    const { format } = await parseFile(file, { duration: true, skipCovers: true });
    const seconds = format.duration && Number.isFinite(format.duration) ? format.duration : undefined;
    const bitsPerSecond = format.bitrate ?? (seconds ? (size * 8) / seconds : undefined);
    return {
      sizeBytes: size,
      durationSeconds: seconds === undefined ? undefined : Math.max(1, Math.round(seconds)),
      bitRate: bitsPerSecond ? Math.round(bitsPerSecond / 1000) : undefined,
    };
  } catch {
    return { sizeBytes: size };
  }
}
