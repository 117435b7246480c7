// The triage migration (drizzle/0015_triage_and_feedback.sql) on a database that already holds
// messages: SQLite cannot widen a CHECK in place, so drizzle-kit rebuilds the messages table to admit
// the triage and feedback kinds. Every queued and sent message must come through unchanged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite.js';
import { migrationsUpTo } from '../support/migrations-up-to.js';

const dir = mkdtempSync(join(tmpdir(), 'agendai-triage-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const insert = `INSERT INTO messages (id, tenant_id, appointment_id, kind, dedupe_key, status, attempts,
  next_attempt_at, expires_at, channel, provider, sender_id, provider_message_id, phone_hash, to_masked,
  segments, encoding, last_error, created_at, sent_at, updated_at)
  VALUES (?, 't1', 'a1', ?, ?, ?, 1, 1000, NULL, 'sms', 'twilio', 'snd_1', 'SM1', 'v1:abc', '+351 ••• ••• 678',
  2, 'GSM-7', NULL, 900, 950, 960)`;

it('keeps every message through the rebuild, then admits the triage and feedback kinds and nothing else', () => {
  const path = join(dir, 'agendai.db');
  const old = new Database(path);
  migrate(drizzle(old), { migrationsFolder: migrationsUpTo(dir, '0014_message_delivery') });
  old.prepare(insert).run('msg_1', 'confirmation', 'confirmation:a1:c1', 'sent');
  old.prepare(insert).run('msg_2', 'reminder', 'reminder:a1:1000', 'queued');
  expect(() => old.prepare(insert).run('msg_3', 'triage', 'triage:a1:c2', 'queued')).toThrow(/CHECK/);
  const before = old.prepare('SELECT * FROM messages ORDER BY id').all();
  old.close();

  const store = openSqliteStore(path);
  try {
    expect(store.sqlite.prepare('SELECT * FROM messages ORDER BY id').all()).toEqual(before);
    store.sqlite.prepare(insert).run('msg_3', 'triage', 'triage:a1:c2', 'queued');
    store.sqlite.prepare(insert).run('msg_4', 'feedback', 'feedback:a1:c3', 'queued');
    expect(() => store.sqlite.prepare(insert).run('msg_5', 'survey', 'survey:a1', 'queued')).toThrow(/CHECK/);
    // The unique dedupe key survived the rebuild: a second reminder for the same start is refused.
    expect(() => store.sqlite.prepare(insert).run('msg_6', 'reminder', 'reminder:a1:1000', 'queued')).toThrow(
      /UNIQUE/,
    );
  } finally {
    store.close();
  }
});
