// Text people read no longer holds control characters (the forms and the import refuse them now):
// each one stored before (a tab, a NUL, an escape…) becomes a space, runs of them one space, and
// the text is trimmed; a required name left empty becomes "Untitled". Rows are read in batches by
// id and only those that change are written. Nothing to undo: the characters are gone.
import type { Knex } from 'knex';

const CONTROL = /[\p{Cc}\uFFFE\uFFFF]/u;
const CONTROL_RUNS = /[\p{Cc}\uFFFE\uFFFF]+/gu;
const BATCH = 2000;

/** The columns cleaned, and what an emptied required one becomes (null: the column may be null). */
const TABLES: Record<string, Record<string, string | null>> = {
  songs: { title: 'Untitled', artist: 'Unknown artist', album: null },
  drugs: { name: 'Untitled', description: '' },
  moods: { name: 'Untitled', description: '' },
  user_playlists: { name: 'Untitled' },
  app_passwords: { name: 'Untitled' },
};

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns] of Object.entries(TABLES)) {
    const names = Object.keys(columns);
    for (let after = 0; ; ) {
      const rows: Record<string, unknown>[] = await knex(table)
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .select('id', ...names);
      if (rows.length === 0) break;
      for (const row of rows) {
        const change: Record<string, string | null> = {};
        for (const name of names) {
          const value = row[name];
          if (typeof value !== 'string' || !CONTROL.test(value)) continue;
          change[name] = value.replace(CONTROL_RUNS, ' ').trim() || columns[name]!;
        }
        if (Object.keys(change).length > 0) await knex(table).where('id', Number(row.id)).update(change);
      }
      after = Number(rows.at(-1)!.id);
    }
  }
}

export async function down(): Promise<void> {}
