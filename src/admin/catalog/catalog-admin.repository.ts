// The admin's writes to drugs and moods. Positions stay dense (0..n-1 among siblings, the order
// the pickers show); slugs are made once from the name and never change, so links keep working.
// Each write that reads siblings first runs in a transaction that locks them, retried on deadlock.
import type { Knex } from 'knex';
import { moodsWithCounts } from '../../catalog/catalog.repository.js';
import { toDrug, toMood } from '../../catalog/catalog.rows.js';
import type { Drug, Mood } from '../../catalog/catalog.types.js';
import { bumpCatalogVersion, insertDrug, insertMood } from '../../catalog/catalog.writes.js';
import { dialectOf } from '../../db/dialect.js';
import { writeTransaction } from '../../db/transaction.js';
import { type Actor, changedFields, recordAudit } from '../../audit/audit.repository.js';
import { slugify, uniqueSlug, type DrugForm, type MoodForm } from './catalog-admin.schemas.js';

/** The pickers' view of a mood and a drug, plus whether it is hidden from listeners. */
export interface AdminMood extends Mood {
  hidden: boolean;
}

export interface AdminDrug extends Drug {
  hidden: boolean;
  moods: AdminMood[];
}

type Row = Record<string, unknown>;
type Direction = 'up' | 'down';
type Parent = { table: 'drugs' } | { table: 'moods'; drugId: number };

const toAdminMood = (r: Row): AdminMood => ({ ...toMood(r), hidden: Boolean(r.hidden) });
const toAdminDrug = (r: Row, moods: AdminMood[]): AdminDrug => ({ ...toDrug(r), hidden: Boolean(r.hidden), moods });

const byPosition = [{ column: 'position' }, { column: 'id' }];

/** What the audit log shows of a drug or a mood: the fields admins edit, and where it lives. */
const auditedDrug = (r: Row) => ({ name: r.name, slug: r.slug, description: r.description, color: r.color, hidden: Boolean(r.hidden) });
const auditedMood = (r: Row) => ({ name: r.name, slug: r.slug, drugId: Number(r.drug_id), description: r.description, hidden: Boolean(r.hidden) });
const SLUG_ATTEMPTS = 5;

export function createCatalogAdminRepository(db: Knex) {
  const siblings = (q: Knex | Knex.Transaction, parent: Parent) => (parent.table === 'drugs' ? q('drugs') : q('moods').where('drug_id', parent.drugId));

  /** Renumbers the siblings 0..n-1 in `order`, writing only the rows whose place changed. */
  async function renumber(trx: Knex.Transaction, table: Parent['table'], order: { id: number; position: number }[]) {
    let changed = false;
    for (const [index, row] of order.entries()) {
      if (row.position === index) continue;
      await trx(table).where('id', row.id).update({ position: index, updated_at: trx.fn.now() });
      changed = true;
    }
    if (changed) await bumpCatalogVersion(trx);
  }

  async function lockSiblings(trx: Knex.Transaction, parent: Parent) {
    const rows: Row[] = await dialectOf(trx).lockingRead(siblings(trx, parent).orderBy(byPosition).select('id', 'position'));
    return rows.map((r) => ({ id: Number(r.id), position: Number(r.position) }));
  }

  /**
   * Inserts at the end with a slug no sibling has. The siblings stay locked until commit, so two
   * admins adding the same name take turns; a unique violation (another process) tries again.
   */
  async function withFreshSlug<T>(parent: Parent, name: string, insert: (trx: Knex.Transaction, slug: string, position: number) => Promise<T>): Promise<T> {
    const base = slugify(name, parent.table === 'drugs' ? 'drug' : 'mood');
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeTransaction(db, async (trx) => {
          const order = await lockSiblings(trx, parent);
          await renumber(trx, parent.table, order); // rows from older imports may have gaps
          const taken = await siblings(trx, parent)
            .where((q) => q.where('slug', base).orWhere('slug', 'like', `${base}-%`))
            .pluck('slug');
          return insert(trx, uniqueSlug(base, new Set(taken.map(String))), order.length);
        });
      } catch (err) {
        if (attempt >= SLUG_ATTEMPTS || !dialectOf(db).isUniqueViolation(err)) throw err;
      }
    }
  }

  /** 'moved'; 'stayed' at the top or the bottom already; undefined when it is not among its siblings. */
  async function move(parent: Parent, id: number, direction: Direction, actor: Actor): Promise<'moved' | 'stayed' | undefined> {
    return writeTransaction(db, async (trx) => {
      const order = await lockSiblings(trx, parent);
      const from = order.findIndex((row) => row.id === id);
      if (from < 0) return undefined;
      const to = direction === 'up' ? from - 1 : from + 1;
      if (to < 0 || to >= order.length) {
        await renumber(trx, parent.table, order);
        return 'stayed';
      }
      [order[from], order[to]] = [order[to]!, order[from]!];
      await renumber(trx, parent.table, order);
      const recordType = parent.table === 'drugs' ? 'drug' : 'mood';
      await recordAudit(trx, { actor, action: `${recordType}.move`, recordType, recordId: id, before: { position: from }, after: { position: to } });
      return 'moved';
    });
  }

  /**
   * Updates one drug or mood and puts the change on record: the row is read under lock first, so
   * "before" is what the update replaced. False when there is no such row; nothing changed, no audit row.
   */
  async function updateAudited(
    target: { table: 'drugs'; id: number } | { table: 'moods'; id: number; drugId: number },
    values: Row,
    action: { actor: Actor; verb: string },
  ): Promise<boolean> {
    return db.transaction(async (trx) => {
      const where = target.table === 'drugs' ? { id: target.id } : { id: target.id, drug_id: target.drugId };
      const [row] = await dialectOf(trx).lockingRead(trx(target.table).where(where).select('*'));
      if (!row) return false;
      await trx(target.table)
        .where('id', target.id)
        .update({ ...values, updated_at: trx.fn.now() });
      await bumpCatalogVersion(trx);
      const audited = target.table === 'drugs' ? auditedDrug : auditedMood;
      const change = changedFields(audited(row), audited({ ...row, ...values }));
      const recordType = target.table === 'drugs' ? 'drug' : 'mood';
      if (change) await recordAudit(trx, { actor: action.actor, action: `${recordType}.${action.verb}`, recordType, recordId: target.id, ...change });
      return true;
    });
  }

  return {
    /** Every drug and mood, hidden ones included, in picker order, with each genre's song count. */
    async list(): Promise<AdminDrug[]> {
      const [drugs, moods] = await Promise.all([db('drugs').orderBy(byPosition), moodsWithCounts(db)]);
      const moodsOf = new Map<number, AdminMood[]>();
      for (const mood of moods.map(toAdminMood)) moodsOf.set(mood.drugId, [...(moodsOf.get(mood.drugId) ?? []), mood]);
      return drugs.map((d: Row) => toAdminDrug(d, moodsOf.get(Number(d.id)) ?? []));
    },

    async findDrug(id: number): Promise<AdminDrug | undefined> {
      const row = await db('drugs').where('id', id).first();
      if (!row) return undefined;
      const moods = await moodsWithCounts(db).where('m.drug_id', id);
      return toAdminDrug(row, moods.map(toAdminMood));
    },

    async findMood(drugId: number, moodId: number): Promise<AdminMood | undefined> {
      const row = await moodsWithCounts(db).where({ 'm.id': moodId, 'm.drug_id': drugId }).first();
      return row ? toAdminMood(row) : undefined;
    },

    async createDrug(form: DrugForm, actor: Actor): Promise<{ id: number; slug: string }> {
      return withFreshSlug({ table: 'drugs' }, form.name, async (trx, slug, position) => {
        const id = await insertDrug(trx, { slug, position, name: form.name, description: form.description, color: form.color });
        const after = auditedDrug({ ...form, slug, hidden: false });
        await recordAudit(trx, { actor, action: 'drug.create', recordType: 'drug', recordId: id, after });
        return { id, slug };
      });
    },

    /** insertMood also creates the genre's genre_counts row, so the new mood can hold songs at once. */
    async createMood(drugId: number, form: MoodForm, actor: Actor): Promise<{ id: number; slug: string }> {
      return withFreshSlug({ table: 'moods', drugId }, form.name, async (trx, slug, position) => {
        const id = await insertMood(trx, { drugId, slug, position, name: form.name, description: form.description });
        const after = auditedMood({ ...form, slug, drug_id: drugId, hidden: false });
        await recordAudit(trx, { actor, action: 'mood.create', recordType: 'mood', recordId: id, after });
        return { id, slug };
      });
    },

    updateDrug: (id: number, form: DrugForm, actor: Actor) =>
      updateAudited({ table: 'drugs', id }, { name: form.name, description: form.description, color: form.color }, { actor, verb: 'update' }),

    updateMood: (drugId: number, moodId: number, form: MoodForm, actor: Actor) =>
      updateAudited({ table: 'moods', id: moodId, drugId }, { name: form.name, description: form.description }, { actor, verb: 'update' }),

    moveDrug: (id: number, direction: Direction, actor: Actor) => move({ table: 'drugs' }, id, direction, actor),
    moveMood: (drugId: number, moodId: number, direction: Direction, actor: Actor) => move({ table: 'moods', drugId }, moodId, direction, actor),

    setDrugHidden: (id: number, hidden: boolean, actor: Actor) => updateAudited({ table: 'drugs', id }, { hidden }, { actor, verb: hidden ? 'hide' : 'show' }),

    setMoodHidden: (drugId: number, moodId: number, hidden: boolean, actor: Actor) =>
      updateAudited({ table: 'moods', id: moodId, drugId }, { hidden }, { actor, verb: hidden ? 'hide' : 'show' }),

    /**
     * Deletes a mood that holds no songs, with its genre_counts row, in one transaction. The
     * genre's count is read under the same lock the membership writes take, so a song added at
     * the same moment either lands first (and the delete is refused) or waits and finds no genre.
     * `songs` above 0: nothing was deleted; undefined: there is no such mood.
     */
    async deleteMood(drugId: number, moodId: number, actor: Actor): Promise<{ mood: AdminMood; songs: number } | undefined> {
      return writeTransaction(db, async (trx) => {
        const mood = await trx('moods').where({ id: moodId, drug_id: drugId }).first();
        if (!mood) return undefined;
        const counts = await dialectOf(trx).lockGenres(trx, [moodId]);
        let songs = counts.get(moodId) ?? 0;
        // Belt and braces: a count that drifted (see db:check) must not orphan its members.
        if (songs === 0) songs = Number((await trx('genre_songs').where('genre_id', moodId).count({ n: '*' }).first())?.n ?? 0);
        if (songs > 0) return { mood: toAdminMood({ ...mood, song_count: songs }), songs };
        await trx('genre_counts').where('genre_id', moodId).del();
        await trx('moods').where('id', moodId).del();
        await bumpCatalogVersion(trx);
        await renumber(trx, 'moods', await lockSiblings(trx, { table: 'moods', drugId }));
        await recordAudit(trx, { actor, action: 'mood.delete', recordType: 'mood', recordId: moodId, before: auditedMood(mood) });
        return { mood: toAdminMood({ ...mood, song_count: 0 }), songs: 0 };
      });
    },

    /**
     * Deletes a drug with no moods left (hidden ones count: they may still hold songs). `moods`
     * above 0: nothing was deleted; undefined: there is no such drug.
     */
    async deleteDrug(id: number, actor: Actor): Promise<{ drug: AdminDrug; moods: number } | undefined> {
      return writeTransaction(db, async (trx) => {
        const [drug] = await dialectOf(trx).lockingRead(trx('drugs').where('id', id).select('*'));
        if (!drug) return undefined;
        const moods = Number((await trx('moods').where('drug_id', id).count({ n: '*' }).first())?.n ?? 0);
        if (moods > 0) return { drug: toAdminDrug(drug, []), moods };
        await trx('drugs').where('id', id).del();
        await bumpCatalogVersion(trx);
        await renumber(trx, 'drugs', await lockSiblings(trx, { table: 'drugs' }));
        await recordAudit(trx, { actor, action: 'drug.delete', recordType: 'drug', recordId: id, before: auditedDrug(drug) });
        return { drug: toAdminDrug(drug, []), moods: 0 };
      });
    },
  };
}

export type CatalogAdminRepository = ReturnType<typeof createCatalogAdminRepository>;
