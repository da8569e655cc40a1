// admin_audit: each admin change's row, written by the change's own transaction (the admin
// repositories, the importer and the user:admin command call recordAudit with their trx), so a
// change that rolls back leaves no row and a row that cannot be written undoes the change.
import type { Knex } from 'knex';
import { readTimestamp } from '../db/timestamps.js';

/** Who made a change: an admin (their id and the username they had), or a command-line tool. */
export interface Actor {
  id: number | null;
  name: string;
}

/** The command-line tools (`npm run import`, `npm run user:admin`) act as no user. */
export const CLI_ACTOR: Actor = { id: null, name: 'cli' };

export interface AuditEntry {
  actor: Actor;
  /** `<record type>.<verb>`, such as song.update or user.grant_admin. */
  action: string;
  recordType: string;
  recordId?: number | string;
  /** What the record held before the change (undefined for a creation). */
  before?: Record<string, unknown>;
  /** What it holds after (undefined for a deletion). */
  after?: Record<string, unknown>;
}

export interface AuditRow {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  actorUserId: number | null;
  actorName: string;
  action: string;
  recordType: string;
  recordId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditFilter {
  action?: string;
  recordType?: string;
  recordId?: string;
  actor?: string;
}

export const AUDIT_PAGE_SIZE = 50;

const json = (value: Record<string, unknown> | undefined) => (value === undefined ? null : JSON.stringify(value));

export async function recordAudit(trx: Knex.Transaction, entry: AuditEntry): Promise<void> {
  await trx('admin_audit').insert({
    at: new Date(),
    actor_user_id: entry.actor.id,
    actor_name: entry.actor.name,
    action: entry.action,
    record_type: entry.recordType,
    record_id: entry.recordId === undefined ? null : String(entry.recordId),
    before_json: json(entry.before),
    after_json: json(entry.after),
  });
}

/**
 * The fields whose value differs between two versions of a record, each side with its own value:
 * an edit's row then says what changed, not what was resubmitted. Undefined when nothing differs.
 */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | undefined {
  // Both sides' keys: a field shown only while it has a value (a song's track) is a change when it goes too.
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  if (keys.length === 0) return undefined;
  return {
    before: Object.fromEntries(keys.map((key) => [key, before[key] ?? null])),
    after: Object.fromEntries(keys.map((key) => [key, after[key] ?? null])),
  };
}

type Row = Record<string, unknown>;
const parsed = (text: unknown) => (text == null ? null : (JSON.parse(String(text)) as Record<string, unknown>));

const toAuditRow = (r: Row): AuditRow => ({
  id: Number(r.id),
  at: readTimestamp(r.at).toISOString(),
  actorUserId: r.actor_user_id == null ? null : Number(r.actor_user_id),
  actorName: String(r.actor_name),
  action: String(r.action),
  recordType: String(r.record_type),
  recordId: r.record_id == null ? null : String(r.record_id),
  before: parsed(r.before_json),
  after: parsed(r.after_json),
});

export function createAuditRepository(db: Knex) {
  return {
    /** Newest first (ids break ties within a second), one page of AUDIT_PAGE_SIZE; `more` when another follows. */
    async list(filter: AuditFilter, page: number): Promise<{ entries: AuditRow[]; more: boolean }> {
      const query = db('admin_audit');
      if (filter.action) query.where('action', filter.action);
      if (filter.recordType) query.where('record_type', filter.recordType);
      if (filter.recordId) query.where('record_id', filter.recordId);
      if (filter.actor) query.where('actor_name', filter.actor);
      const rows: Row[] = await query
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE + 1);
      return { entries: rows.slice(0, AUDIT_PAGE_SIZE).map(toAuditRow), more: rows.length > AUDIT_PAGE_SIZE };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
