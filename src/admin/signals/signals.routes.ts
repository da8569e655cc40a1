// /admin/signals: what listeners' skips, hides and failures to load say about songs, per genre,
// over 7, 30 or 90 days (the guard is in admin.router.ts).
import { Router } from 'express';
import { parse } from '../../http/validate.js';
import { DEFAULT_PERIOD, PERIODS, signalsQuery } from './signals.schemas.js';
import type { SignalsService } from './signals.service.js';

export function createSignalsRouter({ signals }: { signals: SignalsService }): Router {
  const router = Router();

  router.get('/admin/signals', async (req, res) => {
    const days = parse(signalsQuery, req.query).days ?? DEFAULT_PERIOD;
    const overview = await signals.overview(new Date(), days);
    res.render('admin/signals', { title: 'Signals', days, periods: PERIODS, ...overview });
  });

  return router;
}
