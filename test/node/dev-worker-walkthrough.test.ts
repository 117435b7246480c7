// The README's walk-through against `npm run dev:worker` (wrangler dev: workerd and its local storage),
// with the clinic made the way a clinic on Cloudflare is made: the CLI over the admin API
// (`--url --admin-token`), no rows copied by hand. It runs the project's own npm script in a copy of
// the project's files, so the developer's .dev.vars and local objects are left alone. No drizzle/
// folder and no database step: each clinic's Durable Object migrates itself from the bundle.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from '../support/service-process.js';

const run = promisify(execFile);
const ADMIN_TOKEN = 'dev-worker-admin-token-0123456789abcdef';
const PROJECT_FILES = ['package.json', 'wrangler.toml', 'tsconfig.json', 'src', 'scripts'];
// Wrangler asks nothing of the network with these (CI sets them too).
const QUIET = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  DO_NOT_TRACK: '1',
};

let dir: string;
let worker: ChildProcess;
let output = '';
let api: string;

async function waitForHealth(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (worker.exitCode !== null) throw new Error(`dev:worker exited:\n${output.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`dev:worker did not answer /health:\n${output.slice(-3000)}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agendai-dev-worker-'));
  for (const name of PROJECT_FILES) cpSync(join(REPO_ROOT, name), join(dir, name), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const port = await freePort();
  api = `http://127.0.0.1:${port}`;
  // Its own process group, so that wrangler and the workerd it starts stop together.
  worker = spawn('npm', ['run', 'dev:worker'], {
    cwd: dir,
    env: { ...process.env, ...QUIET, PORT: String(port), ADMIN_TOKEN },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  worker.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  await waitForHealth(api, Date.now() + 110_000);
}, 120_000);

afterAll(() => {
  if (worker?.pid && worker.exitCode === null) process.kill(-worker.pid, 'SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CLI as the README runs it (`npm run -s cli -- …`), against the running Worker. */
async function cli(...args: string[]): Promise<any> {
  const { stdout } = await run(
    'npm',
    ['run', '-s', 'cli', '--', ...args, '--url', api, '--admin-token', ADMIN_TOKEN, '--json'],
    { cwd: dir, env: { ...process.env, ...QUIET } },
  );
  return JSON.parse(stdout);
}

const call = async (key: string, method: string, path: string, body?: unknown, headers = {}) => {
  const reply = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: reply.status, headers: reply.headers, text: await reply.text() };
};

describe('npm run dev:worker with ADMIN_TOKEN: the README walk-through on workerd', () => {
  it('provisions a clinic through the admin API with the CLI, then books, lists and replays as the PMS does', async () => {
    const made = await cli(
      'tenants',
      'create',
      '--name',
      'Clínica Sorriso',
      '--timezone',
      'Europe/Lisbon',
      '--country',
      'PT',
      '--live',
    );
    expect(made.apiKey).toMatch(/^miv_live_/);
    const key = made.apiKey as string;
    const me = await call(key, 'GET', '/v1/tenants/me');
    expect(me.status).toBe(200);
    expect(JSON.parse(me.text)).toMatchObject({ id: made.tenant.id, name: 'Clínica Sorriso' });

    const pro = JSON.parse(
      (await call(key, 'POST', '/v1/professionals', { name: 'Dra. Ana Costa', specialty: 'Ortodontia' }))
        .text,
    );
    const svc = JSON.parse(
      (
        await call(key, 'POST', '/v1/services', {
          name: 'Consulta de rotina',
          durationMinutes: 30,
          priceCents: 4500,
        })
      ).text,
    );
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const after = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const book = {
      professionalId: pro.id,
      serviceTypeId: svc.id,
      patientName: 'Maria Silva',
      patientPhone: '+351912345678',
      startsAt: `${tomorrow}T10:00:00+00:00`,
    };
    const first = await call(key, 'POST', '/v1/appointments', book, { 'idempotency-key': 'pms-create-1001' });
    expect(first.status, first.text).toBe(201);
    const listed = await call(
      key,
      'GET',
      `/v1/appointments?from=${tomorrow}T00:00:00Z&to=${after}T00:00:00Z`,
    );
    expect(JSON.parse(listed.text).items).toHaveLength(1);
    const replay = await call(key, 'POST', '/v1/appointments', book, {
      'idempotency-key': 'pms-create-1001',
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);

    // The patient's link, routed by the clinic's reference in its token to the clinic's object.
    const appointmentId = JSON.parse(first.text).id as string;
    const link = await call(key, 'POST', `/v1/appointments/${appointmentId}/patient-link`);
    expect(link.status, link.text).toBe(200);
    const page = await fetch(`${api}${new URL(JSON.parse(link.text).url).pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Consulta de rotina');

    // The operator's listing and a revocation, over the same door.
    const listing = await cli('tenants', 'list');
    expect(JSON.stringify(listing)).toContain(made.tenant.id);
    await cli('keys', 'revoke', made.key.id, '--tenant', made.tenant.id);
    expect((await call(key, 'GET', '/v1/tenants/me')).status).toBe(401);
  }, 90_000);

  it('the admin API refuses a wrong token, and the token never reaches the log', async () => {
    const wrong = await fetch(`${api}/admin/v1/tenants`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    // The secret never reaches the log wrangler prints.
    expect(output).not.toContain(ADMIN_TOKEN);
  });
});
