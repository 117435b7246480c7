// `npm run bench`: the service (the real entry, as a child process) on a freshly seeded database,
// driven by autocannon from this process, against a baseline measured in the same run: the bare
// stack inserting one row. Prints a table and writes bench/results.json.
//
//   npm run bench                               100k appointments, every scenario, 10 s each
//   npm run bench -- --appointments 1000000     another size
//   npm run bench -- --scaling                  the scenarios at 10k and at 1M appointments
//   options: --duration S  --warmup S  --connections N  --only "create,list"  --out FILE
//            --cpu-prof DIR (the service writes a V8 CPU profile there when it stops)
//            --legacy-phone-hashes (the clinic is not yet re-hashed: lookups compute two hashes per key)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  NO_RATE_LIMITS,
  REPO_ROOT,
  secretsEnv,
  startServiceProcess,
} from '../test/support/service-process.js';
import {
  type BenchContext,
  type BenchRequest,
  type Load,
  missingOperations,
  type OpenApiDocument,
  SCENARIOS,
} from './scenarios.js';
import { seedDatabase } from './seed.js';

const { values: args } = parseArgs({
  options: {
    appointments: { type: 'string', default: '100000' },
    scaling: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string' },
    out: { type: 'string', default: join(REPO_ROOT, 'bench', 'results.json') },
    'cpu-prof': { type: 'string' },
    // The clinic's phone lookups also compute the legacy shared hash (not yet re-hashed).
    'legacy-phone-hashes': { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const sizes = args.scaling ? [10_000, 1_000_000] : [Number(args.appointments)];
const only = args.only?.split(',').map((s) => s.trim().toLowerCase());
const scenarios = SCENARIOS.filter((s) => !only || only.some((o) => s.name.toLowerCase().includes(o)));

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers with another status than the expected one, plus connection errors and timeouts. */
  unexpected: number;
  statuses: Record<string, number>;
  /**
   * The serving process's CPU time (user + system) per request, in µs, over the measured run; absent
   * off Linux. Steadier than throughput here: the load generator shares the cores with the service.
   */
  cpuUsPerRequest?: number;
  /**
   * The same for the thread that serves HTTP alone (the process's first thread). Throughput stops
   * growing when this thread is busy all the time, whatever the others use.
   */
  requestThreadCpuUsPerRequest?: number;
}

interface ScenarioResult extends Partial<Figures> {
  name: string;
  unavailable?: string;
  vsBaseline?: { throughput: number; p50: number; p99: number; cpu?: number };
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function drive(url: string, load: Load, seconds: number): Promise<Figures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [load.request],
  });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = Number(count);
  const expected = statuses[String(load.expectStatus)] ?? 0;
  return {
    requestsPerSecond: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    unexpected: result.requests.total - expected + result.errors + result.timeouts,
    statuses,
  };
}

/**
 * CPU time a process (or, with `thread`, one of its threads) has used so far, in µs (Linux /proc;
 * clock ticks of 10 ms). A process's first thread has the process's id.
 */
function cpuMicros(pid: number, thread?: number): number | undefined {
  try {
    const stat = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    // The fields after the command's name (which may hold spaces), from the 3rd: utime is the 14th.
    const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

async function measure(url: string, load: Load, pid: number): Promise<Figures> {
  if (warmup > 0) await drive(url, load, warmup);
  const cpuBefore = cpuMicros(pid);
  const threadBefore = cpuMicros(pid, pid);
  const figures = await drive(url, load, duration);
  const cpuAfter = cpuMicros(pid);
  const threadAfter = cpuMicros(pid, pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined && figures.requests > 0)
    figures.cpuUsPerRequest = Math.round((cpuAfter - cpuBefore) / figures.requests);
  if (threadBefore !== undefined && threadAfter !== undefined && figures.requests > 0)
    figures.requestThreadCpuUsPerRequest = Math.round((threadAfter - threadBefore) / figures.requests);
  return figures;
}

const compare = (f: Figures, base: Figures) => ({
  throughput: round(f.requestsPerSecond / base.requestsPerSecond),
  // Throughput one core would give, from CPU per request: the baseline's over the scenario's.
  ...(f.cpuUsPerRequest && base.cpuUsPerRequest
    ? { cpu: round(base.cpuUsPerRequest / f.cpuUsPerRequest) }
    : {}),
  p50: round(f.p50Ms / Math.max(base.p50Ms, 0.01)),
  p99: round(f.p99Ms / Math.max(base.p99Ms, 0.01)),
});

async function runBaseline(dir: string, label: string): Promise<Figures> {
  log(`baseline (${label}): bare Hono + @hono/node-server + better-sqlite3, one insert per POST`);
  const process_ = await startServiceProcess({
    entry: 'bench/baseline-server.ts',
    databasePath: join(dir, `baseline-${label}.db`),
    logFile: join(dir, 'baseline.log'),
    startTimeoutMs: 180_000,
    env: { DATABASE_PATH: join(dir, `baseline-${label}.db`) },
  });
  try {
    let n = 0;
    const request: BenchRequest = {
      method: 'POST',
      path: '/rows',
      headers: { 'content-type': 'application/json' },
      setupRequest: (r) => ({
        ...r,
        body: JSON.stringify({ name: `Paciente Bench ${n}`, startsAt: Date.now() + n++ * 60_000 }),
      }),
    };
    return await measure(process_.url, { request, expectStatus: 201 }, process_.pid);
  } finally {
    await process_.stop();
  }
}

async function runSize(dir: string, appointments: number): Promise<ScenarioResult[]> {
  const databasePath = join(dir, `agendai-${appointments}.db`);
  const secrets = secretsEnv();
  log(`seeding ${appointments.toLocaleString('en')} appointments…`);
  const seeded = await seedDatabase(databasePath, {
    appointments,
    professionals: 10,
    services: 5,
    secrets,
    now: Date.now(),
    legacyPhoneHashes: args['legacy-phone-hashes'],
  });
  log(`  seeded in ${(seeded.seedMs / 1000).toFixed(1)} s`);
  const service = await startServiceProcess({
    databasePath,
    logFile: join(dir, `agendai-${appointments}.log`),
    // On a busy shared machine tsx can take longer than the default to start the service.
    startTimeoutMs: 180_000,
    env: { ...secrets, ...NO_RATE_LIMITS },
    nodeFlags: args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [],
  });
  const results: ScenarioResult[] = [];
  const logFile = join(dir, `agendai-${appointments}.log`);
  let exitedEarly = false;
  void service.exited.then(({ code, signal }) => {
    if (stopping) return;
    exitedEarly = true;
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    log(`  THE SERVICE EXITED (code ${code}, signal ${signal}); log tail:\n${tail}`);
  });
  let stopping = false;
  try {
    const answer = await fetch(`${service.url}/openapi.json`);
    const doc = (await answer.json().catch(() => ({}))) as OpenApiDocument;
    if (!doc.paths) throw new Error(`GET /openapi.json answered ${answer.status} without paths`);
    const ctx: BenchContext = {
      url: service.url,
      seeded,
      doc,
      runId: `${appointments}-${Date.now().toString(36)}`,
      headers: { authorization: `Bearer ${seeded.apiKey}` },
    };
    for (const scenario of scenarios) {
      const missing = missingOperations(scenario, doc);
      if (missing.length) {
        log(`  ${scenario.name}: not available (${missing.join(', ')} not in the OpenAPI document)`);
        results.push({ name: scenario.name, unavailable: `${missing.join(', ')} not served yet` });
        continue;
      }
      log(`  ${scenario.name}…`);
      if (exitedEarly) {
        results.push({ name: scenario.name, unavailable: 'failed: the service had exited' });
        continue;
      }
      try {
        const figures = await measure(service.url, await scenario.prepare(ctx), service.pid);
        results.push({ name: scenario.name, ...figures });
      } catch (error) {
        // One broken scenario should not cost the figures of the others.
        const message = error instanceof Error ? error.message : String(error);
        log(`    FAILED: ${message}`);
        results.push({ name: scenario.name, unavailable: `failed: ${message.slice(0, 200)}` });
      }
    }
  } finally {
    stopping = true;
    await service.stop();
  }
  const unhandled = readFileSync(join(dir, `agendai-${appointments}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"level":"error"'));
  if (unhandled.length) log(`  WARNING: ${unhandled.length} error log lines, first: ${unhandled[0]}`);
  return results;
}

function table(header: string[], rows: (string | number)[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells: (string | number)[]) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printSize(appointments: number, baseline: Figures, results: ScenarioResult[]) {
  const rows: (string | number)[][] = [
    [
      'baseline: bare insert (mean)',
      baseline.requestsPerSecond,
      baseline.p50Ms,
      baseline.p99Ms,
      '1.00',
      '1.00',
      '1.00',
      baseline.cpuUsPerRequest ?? '-',
      baseline.cpuUsPerRequest ? '1.00' : '-',
      baseline.requestThreadCpuUsPerRequest ?? '-',
      baseline.unexpected,
    ],
  ];
  for (const r of results) {
    if (r.unavailable) rows.push([r.name, '-', '-', '-', '-', '-', '-', '-', '-', '-', `n/a: ${r.unavailable}`]);
    else
      rows.push([
        r.name,
        r.requestsPerSecond!,
        r.p50Ms!,
        r.p99Ms!,
        r.vsBaseline!.throughput.toFixed(2),
        r.vsBaseline!.p50.toFixed(2),
        r.vsBaseline!.p99.toFixed(2),
        r.cpuUsPerRequest ?? '-',
        r.vsBaseline!.cpu?.toFixed(2) ?? '-',
        r.requestThreadCpuUsPerRequest ?? '-',
        r.unexpected!,
      ]);
  }
  console.log(
    `\n${appointments.toLocaleString('en')} appointments, ${connections} connections, ${duration} s per scenario`,
  );
  console.log(
    table(
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        'req/s ×base',
        'p50 ×base',
        'p99 ×base',
        'CPU µs/req',
        'base CPU ÷ CPU',
        'request thread µs/req',
        'unexpected',
      ],
      rows,
    ),
  );
}

/** Cost at the larger size over cost at the smaller, cost = 1 / throughput. */
function scalingRows(small: ScenarioResult[], large: ScenarioResult[]) {
  return small.flatMap((s) => {
    const l = large.find((r) => r.name === s.name);
    if (!l || s.unavailable || l.unavailable) return [];
    return [
      {
        name: s.name,
        small: s.requestsPerSecond!,
        large: l.requestsPerSecond!,
        costRatio: round(s.requestsPerSecond! / l.requestsPerSecond!),
        p50Ratio: round(l.p50Ms! / Math.max(s.p50Ms!, 0.01)),
      },
    ];
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'agendai-bench-'));
  const started = Date.now();
  const commit = gitCommit();
  try {
    // The baseline runs first and last; the scenarios are compared with the mean of both, and the
    // drift between the two tells how steady the machine was (other work shares these cores).
    const before = await runBaseline(dir, 'first');
    log(`  ${before.requestsPerSecond} req/s`);
    const bySize: Record<string, ScenarioResult[]> = {};
    for (const size of sizes) {
      bySize[size] = await runSize(dir, size);
      // Each size gets its own database; drop the previous one to spare the disk.
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(join(dir, `agendai-${size}.db${suffix}`), { force: true });
    }

    const after = await runBaseline(dir, 'last');
    log(`  ${after.requestsPerSecond} req/s`);
    const mean = (a: number, b: number) => round((a + b) / 2, 1);
    const baseline: Figures = {
      requestsPerSecond: mean(before.requestsPerSecond, after.requestsPerSecond),
      p50Ms: mean(before.p50Ms, after.p50Ms),
      p99Ms: mean(before.p99Ms, after.p99Ms),
      ...(before.cpuUsPerRequest && after.cpuUsPerRequest
        ? { cpuUsPerRequest: mean(before.cpuUsPerRequest, after.cpuUsPerRequest) }
        : {}),
      ...(before.requestThreadCpuUsPerRequest && after.requestThreadCpuUsPerRequest
        ? {
            requestThreadCpuUsPerRequest: mean(
              before.requestThreadCpuUsPerRequest,
              after.requestThreadCpuUsPerRequest,
            ),
          }
        : {}),
      requests: before.requests + after.requests,
      unexpected: before.unexpected + after.unexpected,
      statuses: {},
    };
    const drift = round(after.requestsPerSecond / before.requestsPerSecond);
    for (const results of Object.values(bySize))
      for (const r of results)
        if (r.requestsPerSecond !== undefined) r.vsBaseline = compare(r as Figures, baseline);
    for (const size of sizes) printSize(size, baseline, bySize[size]!);
    console.log(
      `baseline first ${before.requestsPerSecond} req/s, last ${after.requestsPerSecond} req/s (drift ×${drift.toFixed(2)}; ratios use the mean)`,
    );
    // The throughput targets of the Node path (issue 12), against the baseline of the same run.
    const targets = [
      { name: 'create appointment', throughput: 0.4 },
      { name: 'availability 31 days', throughput: 0.25 },
      { name: 'voice: check_availability', throughput: 0.3, p99: 4 },
      { name: 'voice: book_appointment', throughput: 0.3, p99: 4 },
    ];
    console.log('');
    for (const target of targets) {
      const vs = bySize[sizes[0]!]!.find((r) => r.name === target.name)?.vsBaseline;
      if (!vs) continue;
      const p99 = target.p99 ? `, p99 ${vs.p99.toFixed(2)}× (target ≤ ${target.p99}×)` : '';
      const cpu = vs.cpu ? `; by CPU per request ${vs.cpu.toFixed(2)}×` : '';
      console.log(
        `${target.name}: ${vs.throughput.toFixed(2)}× the baseline's throughput (target ≥ ${target.throughput.toFixed(2)}×)${p99}${cpu}`,
      );
    }
    let scaling: ReturnType<typeof scalingRows> | undefined;
    if (args.scaling) {
      scaling = scalingRows(bySize[sizes[0]!]!, bySize[sizes[1]!]!);
      console.log(
        `\nscaling: ${sizes[0]!.toLocaleString('en')} → ${sizes[1]!.toLocaleString('en')} appointments`,
      );
      console.log(
        table(
          ['scenario', 'req/s 10k', 'req/s 1M', 'cost ×(1M/10k)', 'p50 ×(1M/10k)'],
          scaling.map((r) => [r.name, r.small, r.large, r.costRatio.toFixed(2), r.p50Ratio.toFixed(2)]),
        ),
      );
      console.log('target: create and availability at 1M cost ≤ 1.30× their cost at 10k');
    }

    const mode = args.scaling ? 'scaling' : 'default';
    const previous = existsSync(args.out) ? JSON.parse(readFileSync(args.out, 'utf8')) : {};
    const record = {
      measuredAt: new Date().toISOString(),
      commit,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      settings: { connections, durationSeconds: duration, warmupSeconds: warmup, sizes },
      baseline: { mean: baseline, first: before, last: after, drift },
      sizes: Object.fromEntries(sizes.map((size) => [size, bySize[size]])),
      ...(scaling ? { scaling } : {}),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(args.out, `${JSON.stringify({ ...previous, [mode]: record }, null, 2)}\n`);
    log(`\nwritten to ${args.out} (${mode}); ${record.totalSeconds} s in all`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The commit measured, marked `+dirty` when the service's sources differ from it. */
function gitCommit() {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT }).toString().trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'drizzle', 'package.json') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '+dirty' : ''}`;
  } catch {
    return undefined;
  }
}

await main();
