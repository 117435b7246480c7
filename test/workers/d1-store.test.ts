// The D1 driver's own guard: hosted D1 rejects statements with more than 100 bound parameters, local
// D1 accepts them, so the driver enforces the limit to make the shared suite fail as production would.
import { env } from 'cloudflare:workers';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { D1_MAX_PARAMETERS, openD1Store } from '../../src/db/d1.js';
import { tenants } from '../../src/db/schema.js';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('D1 store', () => {
  const store = openD1Store(env.DB);

  it('accepts 100 parameters and refuses 101, in raw statements and atomic units', async () => {
    const at = (n: number) => ({
      sql: `SELECT count(*) AS n FROM (SELECT ${placeholders(n)})`,
      params: numbers(n),
    });
    expect(await store.query(at(D1_MAX_PARAMETERS))).toEqual([{ n: 1 }]);
    await expect(store.query(at(D1_MAX_PARAMETERS + 1))).rejects.toThrow(/100 bound parameters/);
    await expect(store.atomic([at(1), at(D1_MAX_PARAMETERS + 1)])).rejects.toThrow(/100 bound parameters/);
  });

  it('refuses drizzle queries over the limit too', async () => {
    const ids = (n: number) => numbers(n).map(String);
    expect(
      await store.db
        .select()
        .from(tenants)
        .where(inArray(tenants.id, ids(D1_MAX_PARAMETERS))),
    ).toEqual([]);
    const error = await store.db
      .select()
      .from(tenants)
      .where(inArray(tenants.id, ids(D1_MAX_PARAMETERS + 1)))
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    // drizzle wraps the driver's error in its own "Failed query" error.
    expect(String(error?.cause)).toMatch(/100 bound parameters/);
  });
});
