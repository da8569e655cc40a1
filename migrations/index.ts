// The migrations in order. Listing them here (instead of letting knex scan the folder) lets the
// same TypeScript files run under tsx, vitest and the compiled build alike.
import type { Knex } from 'knex';
import * as catalog from './20261126000001_catalog.js';
import * as genreMemberships from './20261126000002_genre_memberships.js';
import * as accounts from './20261126000003_accounts.js';
import * as favorites from './20261126000004_favorites.js';
import * as userPlaylists from './20261126000005_user_playlists.js';
import * as plays from './20261126000006_plays.js';
import * as songSearch from './20261126000007_song_search.js';
import * as catalogVersion from './20261126000008_catalog_version.js';
import * as sessionsExpiryMillis from './20261201000009_sessions_expiry_millis.js';
import * as listenerRadios from './20261201000010_listener_radios.js';
import * as hiddenSongs from './20261201000011_hidden_songs.js';
import * as listeningHistory from './20261201000012_listening_history.js';
import * as songDailySignals from './20261201000013_song_daily_signals.js';
import * as appPasswords from './20261201000014_app_passwords.js';
import * as passwordResets from './20261201000015_password_resets.js';
import * as adminAudit from './20261201000016_admin_audit.js';
import * as emailVerifications from './20261201000017_email_verifications.js';
import * as cleanControlCharacters from './20261210000018_clean_control_characters.js';
import * as songAudioFacts from './20261210000019_song_audio_facts.js';
import * as ratingsAndStars from './20261210000020_ratings_and_stars.js';
import * as bookmarks from './20261210000021_bookmarks.js';
import * as playQueues from './20261210000022_play_queues.js';
import * as nowPlaying from './20261210000023_now_playing.js';
import * as drawCopies from './20261211000024_draw_copies.js';
import * as songLoudness from './20261220000024_song_loudness.js';
import * as songTrackAndCover from './20261220000025_song_track_and_cover.js';
import * as songStreamCopies from './20261220000026_song_stream_copies.js';
import * as drawCopiesOfAudio from './20261221000027_draw_copies_of_audio.js';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261126000001_catalog', catalog],
  ['20261126000002_genre_memberships', genreMemberships],
  ['20261126000003_accounts', accounts],
  ['20261126000004_favorites', favorites],
  ['20261126000005_user_playlists', userPlaylists],
  ['20261126000006_plays', plays],
  ['20261126000007_song_search', songSearch],
  ['20261126000008_catalog_version', catalogVersion],
  ['20261201000009_sessions_expiry_millis', sessionsExpiryMillis],
  ['20261201000010_listener_radios', listenerRadios],
  ['20261201000011_hidden_songs', hiddenSongs],
  ['20261201000012_listening_history', listeningHistory],
  ['20261201000013_song_daily_signals', songDailySignals],
  ['20261201000014_app_passwords', appPasswords],
  ['20261201000015_password_resets', passwordResets],
  ['20261201000016_admin_audit', adminAudit],
  ['20261201000017_email_verifications', emailVerifications],
  ['20261210000018_clean_control_characters', cleanControlCharacters],
  ['20261210000019_song_audio_facts', songAudioFacts],
  ['20261210000020_ratings_and_stars', ratingsAndStars],
  ['20261210000021_bookmarks', bookmarks],
  ['20261210000022_play_queues', playQueues],
  ['20261210000023_now_playing', nowPlaying],
  ['20261211000024_draw_copies', drawCopies],
  ['20261220000024_song_loudness', songLoudness],
  ['20261220000025_song_track_and_cover', songTrackAndCover],
  ['20261220000026_song_stream_copies', songStreamCopies],
  ['20261221000027_draw_copies_of_audio', drawCopiesOfAudio],
];
