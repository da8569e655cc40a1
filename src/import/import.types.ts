// What an import run reports, and who ran it: shared by the importer, its writes and the admin page.
import type { Actor } from '../audit/audit.repository.js';

export interface Rejection {
  line: number;
  reason: string;
}

export interface ImportReport {
  /** Lines that added a song to a genre. */
  imported: number;
  /** Valid lines whose song was already in that genre. */
  alreadyPresent: number;
  /** How many lines were rejected… */
  rejected: number;
  /** …and why (the first `maxRejections` of them). */
  rejections: Rejection[];
  /** New rows in the songs table. */
  newSongs: number;
}

/** Who ran an import, and of which file: an admin's upload or `npm run import`. */
export interface ImportRun {
  actor: Actor;
  fileName: string;
}
