// Seeds a benchmark database before the service starts: one clinic, its key, professionals, services
// (through the core functions) and N appointments with direct SQL in one transaction. Phones are
// hashed and encrypted by the app's own phone vault with the keys the service will run with.

import { eq } from 'drizzle-orm';
import { createApiKey } from '../src/accounts/api-keys.js';
import { createTenant } from '../src/accounts/tenants.js';
import { createItem } from '../src/booking/catalog.js';
import { parseSecrets, vaultKeys } from '../src/config.js';
import { tenants } from '../src/db/schema.js';
import { openSqliteStore } from '../src/db/sqlite.js';
import { createPhoneVault } from '../src/security/phone-vault.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * The slot plan shared by the seed and the scenarios. Seeded appointments start on the hour,
 * 08:00–19:00 UTC, 30 minutes at most. Whatever the size, the seed covers the next FUTURE_DAYS days
 * (so 31-day availability sees the same calendar at 10k and at 1M) and reaches back as far as the
 * count requires. The write scenarios book past the booking horizon, where the reads never look.
 */
export const FUTURE_DAYS = 60;
export const SLOTS_PER_DAY = 12;
export const FIRST_HOUR = 8;

export interface SeedOptions {
  appointments: number;
  professionals: number;
  services: number;
  /** base64 phone keys, as the service reads them from its environment. */
  secrets: Record<string, string>;
  now: number;
  /**
   * Seed a clinic from before per-clinic phone keys that the re-hash job has not finished: its
   * phone lookups also compute the legacy shared hash (what every clinic did before the job existed).
   */
  legacyPhoneHashes?: boolean;
}

export interface Seeded {
  tenantId: string;
  apiKey: string;
  professionalIds: string[];
  serviceIds: string[];
  /** The 30-minute service the write scenarios book. */
  bookServiceId: string;
  /** Midnight UTC of the first seeded day; the seed covers `days` days from there. */
  firstDay: number;
  days: number;
  /** A random sample of seeded appointment ids (for reads by id). */
  sampleIds: string[];
  seedMs: number;
}

const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;

/** Start of the `index`-th slot of a professional counted from `firstDay` (seeded: on the hour). */
export const slotStart = (firstDay: number, index: number, offsetMinutes = 0) =>
  firstDay +
  Math.floor(index / SLOTS_PER_DAY) * DAY +
  (FIRST_HOUR + (index % SLOTS_PER_DAY)) * HOUR +
  offsetMinutes * 60_000;

/** A valid Portuguese mobile number, distinct for each patient index. */
const patientPhone = (i: number) => `+35191${String(1_000_000 + i).slice(-7)}`;

const SERVICE_SHAPES = [
  { name: 'Consulta', durationMinutes: 30 },
  { name: 'Higiene oral', durationMinutes: 30 },
  { name: 'Controlo', durationMinutes: 20 },
  { name: 'Urgência', durationMinutes: 15 },
  { name: 'Ortodontia', durationMinutes: 30 },
];

export async function seedDatabase(path: string, options: SeedOptions): Promise<Seeded> {
  const started = performance.now();
  const store = openSqliteStore(path);
  const { now } = options;
  try {
    const tenant = await createTenant(
      store.db,
      { name: 'Clínica Benchmark', timezone: 'Europe/Lisbon', country: 'PT', status: 'active' },
      now,
    );
    const { apiKey } = await createApiKey(store.db, tenant.id, { scopes: ['*'], mode: 'live' }, now);
    if (options.legacyPhoneHashes) {
      await store.db.update(tenants).set({ legacyPhoneHashes: true }).where(eq(tenants.id, tenant.id));
    }
    const professionalIds: string[] = [];
    for (let i = 0; i < options.professionals; i++) {
      const row = await createItem(store, 'professional', tenant.id, { name: `Dr. ${i + 1}` }, now);
      professionalIds.push(row.id);
    }
    const services: { id: string; durationMinutes: number }[] = [];
    for (let i = 0; i < options.services; i++) {
      const shape = SERVICE_SHAPES[i % SERVICE_SHAPES.length]!;
      const row = await createItem(
        store,
        'service',
        tenant.id,
        { name: `${shape.name} ${i + 1}`, durationMinutes: shape.durationMinutes },
        now,
      );
      services.push(row);
    }

    const perProfessional = Math.ceil(options.appointments / options.professionals);
    const days = Math.ceil(perProfessional / SLOTS_PER_DAY);
    const firstDay = midnight(now) + DAY - (days - Math.min(days, FUTURE_DAYS)) * DAY;

    const vault = await createPhoneVault(vaultKeys(parseSecrets(options.secrets)));
    const patients = Math.min(20_000, Math.max(1, Math.floor(options.appointments / 5)));
    const phoneHashes = await Promise.all(
      Array.from({ length: patients }, (_, i) => vault.hash(patientPhone(i), tenant.id)),
    );

    const columns = new Set(
      (store.sqlite.prepare('PRAGMA table_info(appointments)').all() as { name: string }[]).map(
        (c) => c.name,
      ),
    );
    // A column added by a later migration with a default is filled by it; this one is worth real data.
    const withSearch = columns.has('patient_name_search');
    const insertAppointment = store.sqlite.prepare(
      `INSERT INTO appointments (id, tenant_id, professional_id, service_type_id, patient_name,
         ${withSearch ? 'patient_name_search,' : ''} patient_phone_hash, patient_phone_encrypted,
         starts_at, ends_at, blocks_until, status, source, patient_notes, metadata, version,
         last_command_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ${withSearch ? '?,' : ''} ?, ?, ?, ?, ?, ?, ?, NULL, '{}', 1, ?, ?, ?)`,
    );
    const insertHistory = store.sqlite.prepare(
      `INSERT INTO appointment_history (id, tenant_id, appointment_id, action, actor, changes, occurred_at)
       VALUES (?, ?, ?, 'created', 'system:seed', '{}', ?)`,
    );

    const sampleIds: string[] = [];
    const sampleEvery = Math.max(1, Math.floor(options.appointments / 2000));
    const BATCH = 5_000;
    const insertBatch = store.sqlite.transaction((rows: unknown[][], history: unknown[][]) => {
      for (const row of rows) insertAppointment.run(...row);
      for (const row of history) insertHistory.run(...row);
    });
    // A benchmark database is disposable: no journal and no fsync while seeding, and a cache large
    // enough that a million rows' indexes are built in memory. The service reopens it in WAL mode.
    store.sqlite.pragma('journal_mode = OFF');
    store.sqlite.pragma('synchronous = OFF');
    store.sqlite.pragma('cache_size = -1000000');
    store.sqlite.exec('BEGIN');
    try {
      // WebCrypto works on the thread pool: the next batch is sealed while this one is inserted.
      const seal = async (from: number) => {
        const to = Math.min(options.appointments, from + BATCH);
        const ids = Array.from({ length: to - from }, () => crypto.randomUUID());
        const sealed = await Promise.all(
          ids.map((id, k) => vault.encrypt(patientPhone((from + k) % patients), `${tenant.id}:${id}`)),
        );
        return { ids, sealed };
      };
      let next = seal(0);
      for (let from = 0; from < options.appointments; from += BATCH) {
        const { ids, sealed } = await next;
        if (from + BATCH < options.appointments) next = seal(from + BATCH);
        const rows: unknown[][] = [];
        const history: unknown[][] = [];
        for (let k = 0; k < ids.length; k++) {
          const n = from + k;
          const id = ids[k]!;
          const service = services[n % services.length]!;
          const startsAt = slotStart(firstDay, Math.floor(n / options.professionals));
          const endsAt = startsAt + service.durationMinutes * 60_000;
          const past = endsAt < now;
          const status =
            n % 20 === 0 ? 'cancelled' : past ? (n % 17 === 0 ? 'no_show' : 'attended') : 'confirmed';
          const name = `Paciente ${n % patients}`;
          const created = Math.min(now, startsAt) - 7 * DAY;
          rows.push([
            id,
            tenant.id,
            professionalIds[n % options.professionals],
            service.id,
            name,
            ...(withSearch ? [name.toLowerCase()] : []),
            phoneHashes[n % patients],
            sealed[k],
            startsAt,
            endsAt,
            endsAt,
            status,
            n % 3 === 0 ? 'voice_ai' : 'manual',
            `seed-${n}`,
            created,
            created,
          ]);
          history.push([crypto.randomUUID(), tenant.id, id, created]);
          if (n % sampleEvery === 0) sampleIds.push(id);
        }
        // Nested in the outer transaction: better-sqlite3 turns it into a savepoint.
        insertBatch(rows, history);
      }
      store.sqlite.exec('COMMIT');
    } catch (error) {
      store.sqlite.exec('ROLLBACK');
      throw error;
    }
    store.sqlite.pragma('journal_mode = WAL');
    // The app must read what the seed wrote: a sample decrypts with the service's keys.
    const probe = store.sqlite
      .prepare('SELECT patient_phone_encrypted AS sealed FROM appointments WHERE id = ?')
      .get(sampleIds[0]) as { sealed: string } | undefined;
    if (probe && !(await vault.decrypt(probe.sealed, `${tenant.id}:${sampleIds[0]}`)).startsWith('+351')) {
      throw new Error('seeded phone does not decrypt');
    }

    return {
      tenantId: tenant.id,
      apiKey,
      professionalIds,
      serviceIds: services.map((s) => s.id),
      bookServiceId: services[0]!.id,
      firstDay,
      days,
      sampleIds,
      seedMs: performance.now() - started,
    };
  } finally {
    await store.close();
  }
}
