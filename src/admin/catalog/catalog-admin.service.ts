// Drugs and moods for admins: the list, the drug or mood a page or a change names, and the changes.
// Each change's rules hold under concurrency inside the repository's transactions (dense positions,
// a fresh slug made once, a delete refused while something is left under it, an audit entry with
// every change, catalog_version bumped); the routes call this service, never the repository.
import type { Actor } from '../../audit/audit.repository.js';
import type { AdminDrug, AdminMood, CatalogAdminRepository } from './catalog-admin.repository.js';
import type { DrugForm, MoodForm } from './catalog-admin.schemas.js';

type Direction = 'up' | 'down';

export function createCatalogAdminService({ catalog }: { catalog: CatalogAdminRepository }) {
  return {
    /** Every drug and mood, hidden ones included, in picker order, with each genre's song count. */
    list: (): Promise<AdminDrug[]> => catalog.list(),

    /** The drug with its moods (NotFound if there is none). */
    drug: (drugId: number): Promise<AdminDrug> => catalog.findDrug(drugId),

    /** The mood of this drug, with the drug (NotFound if either is missing). */
    async drugAndMood(drugId: number, moodId: number): Promise<{ drug: AdminDrug; mood: AdminMood }> {
      const [drug, mood] = await Promise.all([catalog.findDrug(drugId), catalog.findMood(drugId, moodId)]);
      return { drug, mood };
    },

    /** The mood of this drug (NotFound if there is none). */
    mood: (drugId: number, moodId: number): Promise<AdminMood> => catalog.findMood(drugId, moodId),

    /** A new drug at the end of the list, with a slug made from its name; its id and slug. */
    createDrug: (form: DrugForm, actor: Actor) => catalog.createDrug(form, actor),
    updateDrug: (drugId: number, form: DrugForm, actor: Actor) => catalog.updateDrug(drugId, form, actor),
    /** Whether it moved (false at either end of the list). */
    moveDrug: (drugId: number, direction: Direction, actor: Actor) => catalog.moveDrug(drugId, direction, actor),
    setDrugHidden: (drugId: number, hidden: boolean, actor: Actor) => catalog.setDrugHidden(drugId, hidden, actor),
    /** Deletes a drug with no moods left; Conflict while it has some. */
    deleteDrug: (drugId: number, actor: Actor) => catalog.deleteDrug(drugId, actor),

    /** A new mood at the end of the drug's, with its genre ready to hold songs; its id and slug. */
    createMood: (drugId: number, form: MoodForm, actor: Actor) => catalog.createMood(drugId, form, actor),
    updateMood: (drugId: number, moodId: number, form: MoodForm, actor: Actor) => catalog.updateMood(drugId, moodId, form, actor),
    moveMood: (drugId: number, moodId: number, direction: Direction, actor: Actor) => catalog.moveMood(drugId, moodId, direction, actor),
    setMoodHidden: (drugId: number, moodId: number, hidden: boolean, actor: Actor) => catalog.setMoodHidden(drugId, moodId, hidden, actor),
    /** Deletes a mood that holds no songs; Conflict while it holds some. */
    deleteMood: (drugId: number, moodId: number, actor: Actor) => catalog.deleteMood(drugId, moodId, actor),
  };
}

export type CatalogAdminService = ReturnType<typeof createCatalogAdminService>;
