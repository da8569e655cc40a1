// Drugs and moods for admins: the list, the drug or mood a page or a change names, and the changes.
// The repository keeps each change's rules under concurrency inside its transactions (dense
// positions, a fresh slug, an audit entry, catalog_version bumped) and only reads and writes; this
// service says what is not there (404) and what may not be deleted yet (409), each once.
import type { Actor } from '../../audit/audit.repository.js';
import { Conflict, NotFound } from '../../lib/errors.js';
import type { AdminDrug, AdminMood, CatalogAdminRepository } from './catalog-admin.repository.js';
import type { DrugForm, MoodForm } from './catalog-admin.schemas.js';

type Direction = 'up' | 'down';

const noDrug = () => new NotFound('There is no such drug.');
const noMood = () => new NotFound('There is no such mood.');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export function createCatalogAdminService({ catalog }: { catalog: CatalogAdminRepository }) {
  /** True when it moved; false when it was at the top or the bottom already. */
  const moved = (outcome: 'moved' | 'stayed' | undefined): boolean => {
    if (!outcome) throw new NotFound('It is not there any more.');
    return outcome === 'moved';
  };
  const found = <T>(thing: T | undefined, missing: () => NotFound): T => {
    if (thing === undefined || thing === false) throw missing();
    return thing;
  };

  return {
    list: catalog.list,
    createDrug: catalog.createDrug,
    createMood: catalog.createMood,

    /** The drug with its moods. */
    drug: async (id: number): Promise<AdminDrug> => found(await catalog.findDrug(id), noDrug),
    /** The mood of this drug. */
    mood: async (drugId: number, moodId: number): Promise<AdminMood> => found(await catalog.findMood(drugId, moodId), noMood),
    /** The mood of this drug, with the drug. */
    async drugAndMood(drugId: number, moodId: number): Promise<{ drug: AdminDrug; mood: AdminMood }> {
      const [drug, mood] = await Promise.all([catalog.findDrug(drugId), catalog.findMood(drugId, moodId)]);
      return { drug: found(drug, noDrug), mood: found(mood, noMood) };
    },

    async updateDrug(id: number, form: DrugForm, actor: Actor): Promise<void> {
      found(await catalog.updateDrug(id, form, actor), noDrug);
    },
    async updateMood(drugId: number, moodId: number, form: MoodForm, actor: Actor): Promise<void> {
      found(await catalog.updateMood(drugId, moodId, form, actor), noMood);
    },
    async setDrugHidden(id: number, hidden: boolean, actor: Actor): Promise<void> {
      found(await catalog.setDrugHidden(id, hidden, actor), noDrug);
    },
    async setMoodHidden(drugId: number, moodId: number, hidden: boolean, actor: Actor): Promise<void> {
      found(await catalog.setMoodHidden(drugId, moodId, hidden, actor), noMood);
    },

    moveDrug: async (id: number, direction: Direction, actor: Actor) => moved(await catalog.moveDrug(id, direction, actor)),
    moveMood: async (drugId: number, moodId: number, direction: Direction, actor: Actor) => moved(await catalog.moveMood(drugId, moodId, direction, actor)),

    /** A mood that still holds songs is refused: they would lose their genre. */
    async deleteMood(drugId: number, moodId: number, actor: Actor): Promise<AdminMood> {
      const { mood, songs } = found(await catalog.deleteMood(drugId, moodId, actor), noMood);
      if (songs > 0) {
        throw new Conflict(
          `“${mood.name}” still holds ${songs} ${plural(songs, 'song', 'songs')}. Move or remove ${plural(songs, 'it', 'them')} first, or hide the mood instead.`,
        );
      }
      return mood;
    },

    /** A drug that still has moods (hidden ones too) is refused. */
    async deleteDrug(id: number, actor: Actor): Promise<AdminDrug> {
      const { drug, moods } = found(await catalog.deleteDrug(id, actor), noDrug);
      if (moods > 0) {
        throw new Conflict(
          `“${drug.name}” still has ${moods} ${plural(moods, 'mood', 'moods')}. Delete ${plural(moods, 'it', 'them')} first, or hide the drug instead.`,
        );
      }
      return drug;
    },
  };
}

export type CatalogAdminService = ReturnType<typeof createCatalogAdminService>;
