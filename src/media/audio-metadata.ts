// What an audio file says of itself: its length, bit rate and size (as Subsonic apps show them),
// its tags (title, artist, album, year, track) and its embedded cover. music-metadata reads the
// container's own headers and tags (MP3 frames and ID3, Ogg pages and Vorbis comments, MP4 atoms,
// FLAC blocks, WAV chunks) in JavaScript, with no ffprobe or other program to install. This module
// is the one place the catalog reads files: the upload form is pre-filled from it.
import fs from 'node:fs';
import { type IAudioMetadata, parseFile } from 'music-metadata';

export interface AudioFacts {
  sizeBytes: number;
  /** Whole seconds, when the file tells. */
  durationSeconds?: number;
  /** kbit/s, when the file tells (or its size and length do). */
  bitRate?: number;
}

/** Tags as the song form takes them: one line of at most 200 characters, a plausible year and track. */
export interface AudioTags {
  title?: string;
  artist?: string;
  album?: string;
  year?: number;
  track?: number;
}

export interface EmbeddedPicture {
  data: Buffer;
  /** As the file declares it (`image/jpeg`); the cover store checks the bytes themselves. */
  format: string;
}

export interface AudioFile extends AudioFacts {
  tags: AudioTags;
  /** The front cover (or else the first picture) the file carries. */
  picture?: EmbeddedPicture;
  /** WAV, FLAC, ALAC: worth a compressed copy for listening. */
  lossless: boolean;
  channels?: number;
}

/** A picture larger than this is not a cover anyone needs in full: it is left out. */
const MAX_PICTURE_BYTES = 8 * 1024 * 1024;
const TEXT_MAX = 200;
// Tags come from anyone's tagger: control characters out (the forms refuse them), one line, trimmed.
const CONTROL = /[\p{Cc}\uFFFE\uFFFF]+/gu;

function text(value: string | undefined): string | undefined {
  const cleaned = value?.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, TEXT_MAX).trim();
  return cleaned || undefined;
}

const within = (value: number | null | undefined, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined;

function tagsOf({ common }: IAudioMetadata): AudioTags {
  return {
    title: text(common.title),
    artist: text(common.artist ?? common.albumartist),
    album: text(common.album),
    year: within(common.year, 1000, 2100),
    track: within(common.track?.no, 1, 9999),
  };
}

function pictureOf({ common }: IAudioMetadata): EmbeddedPicture | undefined {
  const pictures = common.picture ?? [];
  const picture = pictures.find((p) => /front/i.test(p.type ?? '')) ?? pictures[0];
  if (!picture || picture.data.length === 0 || picture.data.length > MAX_PICTURE_BYTES) return undefined;
  return { data: Buffer.from(picture.data), format: picture.format };
}

function factsOf({ format }: IAudioMetadata, size: number): AudioFacts {
  const seconds = format.duration && Number.isFinite(format.duration) ? format.duration : undefined;
  const bitsPerSecond = format.bitrate ?? (seconds ? (size * 8) / seconds : undefined);
  return {
    sizeBytes: size,
    durationSeconds: seconds === undefined ? undefined : Math.max(1, Math.round(seconds)),
    bitRate: bitsPerSecond ? Math.round(bitsPerSecond / 1000) : undefined,
  };
}

/** Everything the file tells; a file whose headers cannot be read still has its size. */
export async function readAudioFile(file: string): Promise<AudioFile> {
  const { size } = await fs.promises.stat(file);
  try {
    const metadata = await parseFile(file, { duration: true });
    return {
      ...factsOf(metadata, size),
      tags: tagsOf(metadata),
      picture: pictureOf(metadata),
      lossless: metadata.format.lossless === true,
      channels: metadata.format.numberOfChannels,
    };
  } catch {
    return { sizeBytes: size, tags: {}, lossless: false };
  }
}
