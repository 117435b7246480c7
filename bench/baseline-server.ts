// The baseline: the bare stack with nothing of ours, Hono + @hono/node-server + better-sqlite3, one
// JSON POST inserting one row under the service's pragmas. Its throughput is the ceiling the
// scenarios are measured against. Run as its own process, like the service.
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const path = process.env.DATABASE_PATH;
if (!path) throw new Error('DATABASE_PATH is required');

const sqlite = new Database(path);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');
sqlite.exec(`CREATE TABLE IF NOT EXISTS rows (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, starts_at INTEGER NOT NULL, created_at INTEGER NOT NULL)`);
const insert = sqlite.prepare('INSERT INTO rows (id, name, starts_at, created_at) VALUES (?, ?, ?, ?)');

const app = new Hono();
app.post('/rows', async (c) => {
  const body = await c.req.json<{ name?: unknown; startsAt?: unknown }>();
  const id = crypto.randomUUID();
  insert.run(id, String(body.name ?? ''), Number(body.startsAt ?? 0), Date.now());
  return c.json({ id }, 201);
});

const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' },
  (info) => console.log(JSON.stringify({ event: 'started', url: `http://127.0.0.1:${info.port}` })),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
