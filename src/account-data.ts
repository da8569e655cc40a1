// What a capability that keeps a listener's data gives to the account's export and to its deletion
// (accounts/account-data.service.ts). Each such capability has an `x.account-data.ts` with its
// contribution; app.ts lists them, and the export and the deletion go through that list in order.
import type { Knex } from 'knex';
import type { Song } from './catalog/catalog.types.js';

/** The account being deleted, as its row was locked at the start of the deletion's transaction. */
export interface DeletedAccount {
  id: number;
  normalizedUsername: string;
  email: string | null;
}

/**
 * One capability's part of an account. `forget` deletes every row of theirs it keeps (and adjusts
 * what those rows counted) in the deletion's one transaction, said rather than left to ON DELETE
 * CASCADE. A capability whose data the listener takes away names its key in the export and answers
 * `exportFor`; links, counters and sessions are forgotten only.
 */
export type AccountDataContribution = {
  forget(trx: Knex.Transaction, account: DeletedAccount): Promise<void>;
} & ({ exportKey: string; exportFor(userId: number): Promise<unknown> } | { exportKey?: undefined; exportFor?: undefined });

/** A song as the export names it. */
export const exportedSong = (song: Pick<Song, 'id' | 'title' | 'artist'>) => ({ songId: song.id, title: song.title, artist: song.artist });
