// Drugs and moods for admins (the /admin guard is in admin.router.ts). HTML forms only: every
// change is a POST with its CSRF token answered by a redirect and a flash message; a refused form
// (or a refused delete) is shown again with its messages and values. Every change bumps
// catalog_version, so listener pages (and each process's genre directory) show it at once.
import { type Request, Router } from 'express';
import { drugPath, genrePath } from '../../catalog/genre.js';
import { flash } from '../../http/flash.js';
import { adminActor } from '../../http/guards.js';
import { type FormView, renderForm, showsForm } from '../../http/forms.js';
import { parse, parseParams } from '../../http/validate.js';
import type { AdminDrug, AdminMood } from './catalog-admin.repository.js';
import * as forms from './catalog-admin.schemas.js';
import type { CatalogAdminService } from './catalog-admin.service.js';

const LIST = '/admin/drugs';
const limits = { nameMax: forms.NAME_MAX, descriptionMax: forms.DESCRIPTION_MAX };
const drugAnchor = (id: number) => `${LIST}#drug-${id}`;
const moodAnchor = (id: number) => `${LIST}#mood-${id}`;

const fromUrl = <S extends typeof forms.drugParams | typeof forms.moodParams>(schema: S, req: Request) =>
  parseParams(schema, req.params, 'There is no such drug or mood.') as ReturnType<S['parse']>;

export function createCatalogAdminRouter({ catalog }: { catalog: CatalogAdminService }): Router {
  const router = Router();

  /** The list; `refused` names the form a message belongs to ('new-drug', 'drug-<id>', 'mood-<id>'), shown beside it. */
  const listView = async (refused = 'new-drug'): Promise<FormView> => ({
    view: 'admin/catalog/index',
    locals: { title: 'Drugs & moods', drugs: await catalog.list(), limits, defaultColor: forms.DEFAULT_COLOR, refused },
  });
  const drugView = (drug: AdminDrug): FormView => ({
    view: 'admin/catalog/drug-form',
    locals: { title: `Edit ${drug.name}`, drug, limits },
    values: { name: drug.name, description: drug.description, color: drug.color },
  });
  const moodView = (drug: AdminDrug, mood?: AdminMood): FormView => ({
    view: 'admin/catalog/mood-form',
    locals: { title: mood ? `Edit ${mood.name}` : `New mood for ${drug.name}`, drug, mood, limits },
    values: mood && { name: mood.name, description: mood.description },
  });
  /** The edit page of the drug, or the new or edit page of the mood, that the URL names. */
  const drugPage = async (req: Request) => drugView(await catalog.drug(fromUrl(forms.drugParams, req).drugId));
  const newMoodPage = async (req: Request) => moodView(await catalog.drug(fromUrl(forms.drugParams, req).drugId));
  const moodPage = async (req: Request) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const { drug, mood } = await catalog.drugAndMood(drugId, moodId);
    return moodView(drug, mood);
  };

  router.get(LIST, async (_req, res) => renderForm(res, await listView()));

  router.post(
    LIST,
    showsForm(() => listView()),
    async (req, res) => {
      const form = parse(forms.drugForm, req.body);
      const { id, slug } = await catalog.createDrug(form, adminActor(req));
      flash(req, 'success', `Added the drug “${form.name}” (${drugPath({ slug })}). Add its moods next.`);
      res.redirect(303, drugAnchor(id));
    },
  );

  router.get(`${LIST}/:drugId/edit`, async (req, res) => renderForm(res, await drugPage(req)));

  router.post(`${LIST}/:drugId`, showsForm(drugPage), async (req, res) => {
    const drug = await catalog.drug(fromUrl(forms.drugParams, req).drugId);
    const form = parse(forms.drugForm, req.body);
    await catalog.updateDrug(drug.id, form, adminActor(req));
    flash(req, 'success', `Saved “${form.name}”. Its link stays ${drugPath(drug)}.`);
    res.redirect(303, drugAnchor(drug.id));
  });

  router.post(`${LIST}/:drugId/move`, async (req, res) => {
    const { drugId } = fromUrl(forms.drugParams, req);
    const { direction } = parse(forms.moveForm, req.body);
    if (await catalog.moveDrug(drugId, direction, adminActor(req))) flash(req, 'success', `Moved ${direction}.`);
    res.redirect(303, drugAnchor(drugId));
  });

  router.post(`${LIST}/:drugId/visibility`, async (req, res) => {
    const drug = await catalog.drug(fromUrl(forms.drugParams, req).drugId);
    const { hidden } = parse(forms.visibilityForm, req.body);
    await catalog.setDrugHidden(drug.id, hidden, adminActor(req));
    flash(req, 'success', hidden ? `“${drug.name}” is hidden from listeners.` : `“${drug.name}” is shown to listeners again.`);
    res.redirect(303, drugAnchor(drug.id));
  });

  // A refused delete (it still has moods) shows the list again, with the reason.
  router.post(
    `${LIST}/:drugId/delete`,
    showsForm((req) => listView(`drug-${req.params.drugId}`)),
    async (req, res) => {
      const drug = await catalog.deleteDrug(fromUrl(forms.drugParams, req).drugId, adminActor(req));
      flash(req, 'success', `Deleted the drug “${drug.name}”.`);
      res.redirect(303, LIST);
    },
  );

  router.get(`${LIST}/:drugId/moods/new`, async (req, res) => renderForm(res, await newMoodPage(req)));

  router.post(`${LIST}/:drugId/moods`, showsForm(newMoodPage), async (req, res) => {
    const drug = await catalog.drug(fromUrl(forms.drugParams, req).drugId);
    const form = parse(forms.moodForm, req.body);
    const { id, slug } = await catalog.createMood(drug.id, form, adminActor(req));
    flash(req, 'success', `Added the mood “${form.name}” (${genrePath({ drug, mood: { slug } })}).`);
    res.redirect(303, moodAnchor(id));
  });

  router.get(`${LIST}/:drugId/moods/:moodId/edit`, async (req, res) => renderForm(res, await moodPage(req)));

  router.post(`${LIST}/:drugId/moods/:moodId`, showsForm(moodPage), async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const { drug, mood } = await catalog.drugAndMood(drugId, moodId);
    const form = parse(forms.moodForm, req.body);
    await catalog.updateMood(drugId, moodId, form, adminActor(req));
    flash(req, 'success', `Saved “${form.name}”. Its link stays ${genrePath({ drug, mood })}.`);
    res.redirect(303, moodAnchor(moodId));
  });

  router.post(`${LIST}/:drugId/moods/:moodId/move`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const { direction } = parse(forms.moveForm, req.body);
    if (await catalog.moveMood(drugId, moodId, direction, adminActor(req))) flash(req, 'success', `Moved ${direction}.`);
    res.redirect(303, moodAnchor(moodId));
  });

  router.post(`${LIST}/:drugId/moods/:moodId/visibility`, async (req, res) => {
    const { drugId, moodId } = fromUrl(forms.moodParams, req);
    const mood = await catalog.mood(drugId, moodId);
    const { hidden } = parse(forms.visibilityForm, req.body);
    await catalog.setMoodHidden(drugId, moodId, hidden, adminActor(req));
    flash(req, 'success', hidden ? `“${mood.name}” is hidden from listeners.` : `“${mood.name}” is shown to listeners again.`);
    res.redirect(303, moodAnchor(moodId));
  });

  // A refused delete (it still holds songs) shows the list again, with the reason.
  router.post(
    `${LIST}/:drugId/moods/:moodId/delete`,
    showsForm((req) => listView(`mood-${req.params.moodId}`)),
    async (req, res) => {
      const { drugId, moodId } = fromUrl(forms.moodParams, req);
      const mood = await catalog.deleteMood(drugId, moodId, adminActor(req));
      flash(req, 'success', `Deleted the mood “${mood.name}”.`);
      res.redirect(303, drugAnchor(drugId));
    },
  );

  return router;
}
