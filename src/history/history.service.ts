// A listener's history as pages and other capabilities read it: the history page's latest plays,
// and for Subsonic apps the albums heard lately (the "recent" album list) and the last few plays
// (what they are playing now).
import type { HistoryRepository } from './history.repository.js';

export function createHistoryService({ history }: { history: HistoryRepository }) {
  return {
    /** The listener's plays, newest first (at most HISTORY_SIZE). */
    recent: (userId: number) => history.recent(userId),

    /** The albums of the listener's latest plays, most recent first: one page of them. */
    recentAlbums: (userId: number, size: number, offset: number) => history.recentAlbums(userId, size, offset),

    /** The listener's plays since `since`, newest first, among their latest `limit`. */
    async playedSince(userId: number, since: Date, limit: number): Promise<{ songId: number; playedAt: Date }[]> {
      return (await history.latestPlays(userId, limit)).filter((p) => p.playedAt >= since);
    },
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;
