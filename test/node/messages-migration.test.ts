// The message-delivery migration (drizzle/0014_message_delivery.sql) rebuilds the messages table for
// its new statuses (sending, unknown): on a database that already holds messages, every row is kept
// as it was, and the new words are accepted while unknown ones are still refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { migrationsUpTo } from '../support/migrations-up-to.js';

const dir = mkdtempSync(join(tmpdir(), 'agendai-messages-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (id: string, status: string) => ({
  id,
  tenant_id: 't1',
  appointment_id: `a-${id}`,
  kind: 'reminder',
  dedupe_key: `reminder:${id}`,
  status,
  attempts: 1,
  next_attempt_at: 1_790_000_000_000,
  expires_at: 1_790_100_000_000,
  channel: 'sms',
  provider: 'twilio',
  sender_id: 'snd_1',
  provider_message_id: `SM${id}`,
  phone_hash: 'v1:abc',
  to_masked: '+351 ••• ••• 678',
  segments: 2,
  encoding: 'UCS-2',
  last_error: null,
  created_at: 1_789_000_000_000,
  sent_at: 1_789_000_100_000,
  updated_at: 1_789_000_200_000,
});

const insert = (db: Database.Database, row: Record<string, unknown>) =>
  db
    .prepare(
      `INSERT INTO messages (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
        .map((k) => `@${k}`)
        .join(', ')})`,
    )
    .run(row);

describe('message delivery migration on better-sqlite3', () => {
  it('keeps every message and accepts sending and unknown', () => {
    const path = join(dir, 'agendai.db');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: migrationsUpTo(dir, '0013_callback_uncertain') });
    const rows = ['queued', 'sent', 'delivered', 'failed', 'skipped'].map((s, i) => message(`m${i}`, s));
    for (const row of rows) insert(old, row);
    expect(() => insert(old, message('x', 'unknown'))).toThrow(/CHECK/);
    old.close();

    const store = openSqliteStore(path);
    try {
      expect(store.sqlite.prepare('SELECT * FROM messages ORDER BY id').all()).toEqual(rows);
      insert(store.sqlite, message('m8', 'sending'));
      insert(store.sqlite, message('m9', 'unknown'));
      expect(() => insert(store.sqlite, message('bad', 'lost'))).toThrow(/CHECK/);
      const indexes = store.sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL",
        )
        .all();
      expect(indexes.map((i: any) => i.name).sort()).toEqual([
        'messages_clinic_due',
        'messages_dedupe',
        'messages_due',
        'messages_patient_sent',
        'messages_provider_id',
        'messages_tenant_created',
      ]);
    } finally {
      store.close();
    }
  });
});
