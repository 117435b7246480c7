// The directory's tables (Workers with one Durable Object per clinic): what arrives without a clinic
// is looked up here once, then routed straight to the clinic's object. A clinic is its reference
// (the one inside its API keys), the id of its object and its tenant id; a route is any other name
// that leads to it (a voice integration's id, a message sender's id, a public slug). Clinics and
// integration and sender routes are only ever added, never changed, so Workers may cache what they
// read. A slug is the one name a clinic changes: its old slug is released when it takes a new one,
// and a clinic holds at most MAX_SLUGS_PER_CLINIC at once, so no clinic can squat on names.
//
// The directory keeps its own small schema in its own object's SQLite, created when it wakes.
export interface DirectoryEntry {
  ref: string;
  objectId: string;
  tenantId: string;
  createdAt: number;
}

/** What names a clinic: its key reference, its tenant id, or one of its routes. */
export type RouteKind = 'ref' | 'tenant' | 'integration' | 'sender' | 'slug';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS clinics (
    ref TEXT PRIMARY KEY,
    object_id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL UNIQUE,
    placement TEXT,
    created_at INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS clinics_created ON clinics (created_at, ref)',
  `CREATE TABLE IF NOT EXISTS routes (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    ref TEXT NOT NULL REFERENCES clinics (ref),
    PRIMARY KEY (kind, key)
  )`,
];

/** Slugs one clinic may hold at once: its own, and a few in flight while it changes it. */
export const MAX_SLUGS_PER_CLINIC = 3;

const ENTRY = 'c.ref AS ref, c.object_id AS objectId, c.tenant_id AS tenantId, c.created_at AS createdAt';

export interface DirectoryTables {
  /** Adds a clinic; the same clinic again is a no-op. Returns the entry as stored. */
  addClinic(entry: DirectoryEntry & { placement?: string | null }): DirectoryEntry;
  resolve(kind: RouteKind, key: string): DirectoryEntry | null;
  /**
   * Names `key` as the clinic's; the first clinic to claim a name keeps it. Returns the owner's ref,
   * or null when the clinic already holds its MAX_SLUGS_PER_CLINIC slugs.
   */
  claim(kind: Exclude<RouteKind, 'ref' | 'tenant'>, key: string, ref: string): string | null;
  /** Gives up the clinic's claim on a slug it no longer uses (another clinic's claim is untouched). */
  release(kind: 'slug', key: string, ref: string): void;
  /** Clinics in creation order, after the cursor's (createdAt, ref). */
  page(limit: number, after?: { at: number; ref: string }): DirectoryEntry[];
}

export function directoryTables(sql: SqlStorage): DirectoryTables {
  for (const statement of SCHEMA) sql.exec(statement);
  const rows = (query: string, ...params: SqlStorageValue[]) =>
    sql.exec(query, ...params).toArray() as unknown as DirectoryEntry[];
  const byRef = (ref: string) => rows(`SELECT ${ENTRY} FROM clinics c WHERE c.ref = ?`, ref)[0] ?? null;
  return {
    addClinic({ ref, objectId, tenantId, createdAt, placement }) {
      sql.exec(
        'INSERT INTO clinics (ref, object_id, tenant_id, placement, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        ref,
        objectId,
        tenantId,
        placement ?? null,
        createdAt,
      );
      const stored = byRef(ref);
      if (!stored || stored.objectId !== objectId) throw new Error(`Clinic reference ${ref} is taken`);
      return stored;
    },
    resolve(kind, key) {
      if (kind === 'ref') return byRef(key);
      if (kind === 'tenant')
        return rows(`SELECT ${ENTRY} FROM clinics c WHERE c.tenant_id = ?`, key)[0] ?? null;
      return (
        rows(
          `SELECT ${ENTRY} FROM routes r JOIN clinics c ON c.ref = r.ref WHERE r.kind = ? AND r.key = ?`,
          kind,
          key,
        )[0] ?? null
      );
    },
    claim(kind, key, ref) {
      // One statement, so the cap and the insert decide together (the object runs one at a time).
      sql.exec(
        `INSERT INTO routes (kind, key, ref) SELECT ?, ?, ?
          WHERE ? <> 'slug' OR (SELECT count(*) FROM routes WHERE kind = 'slug' AND ref = ?) < ?
          ON CONFLICT DO NOTHING`,
        kind,
        key,
        ref,
        kind,
        ref,
        MAX_SLUGS_PER_CLINIC,
      );
      const owner = sql.exec('SELECT ref FROM routes WHERE kind = ? AND key = ?', kind, key).toArray()[0];
      return owner ? String(owner.ref) : null;
    },
    release(kind, key, ref) {
      sql.exec('DELETE FROM routes WHERE kind = ? AND key = ? AND ref = ?', kind, key, ref);
    },
    page(limit, after) {
      return after
        ? rows(
            `SELECT ${ENTRY} FROM clinics c WHERE (c.created_at, c.ref) > (?, ?) ORDER BY c.created_at, c.ref LIMIT ?`,
            after.at,
            after.ref,
            limit,
          )
        : rows(`SELECT ${ENTRY} FROM clinics c ORDER BY c.created_at, c.ref LIMIT ?`, limit);
    },
  };
}
