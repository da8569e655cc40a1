// The audio Stereodose keeps and serves: each file extension with its media type. Uploads are
// stored under these extensions (upload-store.ts) and Subsonic apps are told a song's type by them.
export const AUDIO_TYPES = { mp3: 'audio/mpeg', ogg: 'audio/ogg', m4a: 'audio/mp4', wav: 'audio/wav', flac: 'audio/flac' } as const;

export type AudioExtension = keyof typeof AUDIO_TYPES;

export const AUDIO_EXTENSIONS = Object.keys(AUDIO_TYPES) as AudioExtension[];

export const isAudioExtension = (extension: string): extension is AudioExtension => Object.hasOwn(AUDIO_TYPES, extension);
