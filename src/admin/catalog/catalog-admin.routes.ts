// Drugs and moods for admins (the /admin guard is in admin.router.ts). HTML forms only: every
// change is a POST with its CSRF token answered by a redirect and a flash message; a form with
// mistakes is shown again with its messages and values. Every change bumps catalog_version, so
// listener pages (and each process's genre directory) show it at once.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { Conflict, type FormView } from '../../http/errors.js';
import { flash } from '../../http/flash.js';
import { parse, parseParams, renderForm } from '../../http/validate.js';
import { createCatalogAdminRepository, type AdminDrug, type AdminMood } from './catalog-admin.repository.js';
import * as forms from './catalog-admin.schemas.js';

const LIST = '/admin/drugs';
const DEFAULT_COLOR = '#7c5cff';
const limits = { nameMax: forms.NAME_MAX, descriptionMax: forms.DESCRIPTION_MAX };
const drugAnchor = (id: number) => `${LIST}#drug-${id}`;
const moodAnchor = (id: number) => `${LIST}#mood-${id}`;

const fromUrl = <S extends typeof forms.drugParams | typeof forms.moodParams>(schema: S, req: Request) =>
  parseParams(schema, req.params, 'There is no such drug or mood.') as ReturnType<S['parse']>;

export function createCatalogAdminRouter({ db }: { db: Knex }): Router {
  const catalog = createCatalogAdminRepository(db);
  const router = Router();

  const listView = async (): Promise<FormView> => ({
    view: 'admin/catalog/index',
    locals: { title: 'Drugs & moods', drugs: await catalog.list(), limits },
  });
  const drugView = (drug: AdminDrug): FormView => ({
    view: 'admin/catalog/drug-form',
    locals: { title: `Edit ${drug.name}`, drug, limits },
  });
  const moodView = (drug: AdminDrug, mood?: AdminMood): FormView => ({
    view: 'admin/catalog/mood-form',
    locals: {
      title: mood ? `Edit ${mood.name}` : `New mood for ${drug.name}`,
      drug,
      mood,
      limits,
    },
  });

  /** A refused delete shows the list again, with the reason where the form messages go. */
  async function refusable(res: Response, work: () => Promise<void>) {
    try {
      await work();
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      renderForm(res, await listView(), { status: err.status, message: err.message, values: { color: DEFAULT_COLOR } });
    }
  }

  router.get(LIST, async (_req, res) => renderForm(res, await listView(), { values: { color: DEFAULT_COLOR } }));

  router.post(LIST, async (req, res) => {
    const form = parse(forms.drugForm, req.body, await listView());
    const { id, slug } = await catalog.createDrug(form);
    flash(req, 'success', `Added the drug “${form.name}” (/playlist/${slug}). Add its moods next.`);
    res.redirect(303, drugAnchor(id));
  });

  router.get(`${LIST}/:drugId/edit`, async (req, res) => {
    const drug = await catalog.findDrug(fromUrl(forms.drugParams, req).drugId);
    renderForm(res, drugView(drug), { values: { name: drug.name, description: drug.description, color: drug.color } });
  });

  router.post(`${LIST}/:drugId`, async (req, res) => {
    const drug = await catalog.findDrug(fromUrl(forms.drugParams, req).drugId);
    const form = parse(forms.drugForm, req.body, drugView(drug));
    await catalog.updateDrug(drug.id, form);
    flash(req, 'success', `Saved “${form.name}”. Its link stays /playlist/${drug.slug}.`);
    res.redirect(303, drugAnchor(drug.id));
  });

  router.post(`${LIST}/:drugId/move`, async (req, res) => {
    const { drugId } = fromUrl(forms.drugParams, req);
    const { direction } = parse(forms.moveForm, req.body);
    if (await catalog.moveDrug(drugId, direction)) flash(req, 'success', `Moved ${direction}.`);
    res.redirect(303, drugAnchor(drugId));
  });

  router.post(`${LIST}/:drugId/visibility`, async (req, res) => {
    const drug = await catalog.findDrug(fromUrl(forms.drugParams, req).drugId);
    const { hidden } = parse(forms.visibilityForm, req.body);
    await catalog.setDrugHidden(drug.id, hidden);
    flash(req, 'success', hidden ? `“${drug.name}” is hidden from listeners.` : `“${drug.name}” is shown to listeners again.`);
    res.redirect(303, drugAnchor(drug.id));
  });

  router.post(`${LIST}/:drugId/delete`, async (req, res) => {
    const { drugId } = fromUrl(forms.drugParams, req);
    await refusable(res, async () => {
      const drug = await catalog.deleteDrug(drugId);
      flash(req, 'success', `Deleted the drug “${drug.name}”.`);
      res.redirect(303, LIST);
    });
  });

  router.get(`${LIST}/:drugId/moods/new`, async (req, res) => {
    const drug = await catalog.findDrug(fromUrl(forms.drugParams, req).drugId);
    renderForm(res, moodView(drug));
  });

  router.post(`${LIST}/:drugId/moods`, async (req, res) => {
    const drug = await catalog.findDrug(fromUrl(forms.drugParams, req).drugId);
    const form = parse(forms.moodForm, req.body, moodView(drug));
    const { id, slug } = await catalog.createMood(drug.id, form);
    flash(req, 'success', `Added the mood “${form.name}” (/playlist/${drug.slug}/${slug}).`);
    res.redirect(303, moodAnchor(id));
  });

  router.get(`${LIST}/:drugId/moods/:moodId/edit`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const [drug, mood] = await Promise.all([catalog.findDrug(drugId), catalog.findMood(drugId, moodId)]);
    renderForm(res, moodView(drug, mood), { values: { name: mood.name, description: mood.description } });
  });

  router.post(`${LIST}/:drugId/moods/:moodId`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const [drug, mood] = await Promise.all([catalog.findDrug(drugId), catalog.findMood(drugId, moodId)]);
    const form = parse(forms.moodForm, req.body, moodView(drug, mood));
    await catalog.updateMood(drugId, moodId, form);
    flash(req, 'success', `Saved “${form.name}”. Its link stays /playlist/${drug.slug}/${mood.slug}.`);
    res.redirect(303, moodAnchor(moodId));
  });

  router.post(`${LIST}/:drugId/moods/:moodId/move`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const { direction } = parse(forms.moveForm, req.body);
    if (await catalog.moveMood(drugId, moodId, direction)) flash(req, 'success', `Moved ${direction}.`);
    res.redirect(303, moodAnchor(moodId));
  });

  router.post(`${LIST}/:drugId/moods/:moodId/visibility`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const mood = await catalog.findMood(drugId, moodId);
    const { hidden } = parse(forms.visibilityForm, req.body);
    await catalog.setMoodHidden(drugId, moodId, hidden);
    flash(req, 'success', hidden ? `“${mood.name}” is hidden from listeners.` : `“${mood.name}” is shown to listeners again.`);
    res.redirect(303, moodAnchor(moodId));
  });

  router.post(`${LIST}/:drugId/moods/:moodId/delete`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    await refusable(res, async () => {
      const mood = await catalog.deleteMood(drugId, moodId);
      flash(req, 'success', `Deleted the mood “${mood.name}”.`);
      res.redirect(303, drugAnchor(drugId));
    });
  });

  return router;
}
