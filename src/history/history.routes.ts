// /me/history: the listener's last plays, newest first, each with its time, the genre it played
// from, its own audio control and its heart (the shared track list). Plays reach the history
// through POST /api/plays.
import { Router } from 'express';
import { requireUser } from '../http/guards.js';
import type { TrackListPresenter } from '../presenters/track-list.presenter.js';
import { HISTORY_SIZE } from './history.repository.js';
import type { HistoryService } from './history.service.js';

export function createHistoryRouter({ history, trackList }: { history: HistoryService; trackList: TrackListPresenter }): Router {
  const router = Router();

  router.get('/me/history', requireUser, async (req, res) => {
    const entries = await history.recent(req.user!.id);
    const tracks = await trackList(
      req,
      entries.map((e) => e.song),
      { played: entries.map((e) => ({ at: e.playedAt, genre: e.genre })), source: { key: 'history', label: 'Your history' } },
    );
    res.render('history/index', { title: 'History', tracks, size: HISTORY_SIZE });
  });

  return router;
}
