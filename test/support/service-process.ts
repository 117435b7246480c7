// The real service as a child process (`src/node.ts`, the entry `npm start` runs), for the crash
// test and the benchmark: SIGKILL must hit a real process, and load must not share its event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Rate limits far above anything one machine can send (benchmarks and load tests). */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000000',
  RATE_LIMIT_PER_KEY_PER_SECOND: '1000000000',
  RATE_LIMIT_PER_IP_PER_MINUTE: '1000000000',
};

export interface ServiceProcessOptions {
  databasePath: string;
  /** Every log line of the process (stdout and stderr) is appended here. */
  logFile: string;
  /** 0 = a free port chosen by the OS at each start. */
  port?: number;
  /** Extra environment: secrets, rate limits. */
  env?: Record<string, string>;
  /** Give up waiting for the "started" line after this long. */
  startTimeoutMs?: number;
  /** The script to run, relative to the repository (default the Node entry, src/node.ts). */
  entry?: string;
  /** Extra Node flags for the process (the bench's --cpu-prof). */
  nodeFlags?: string[];
}

export interface ServiceProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves once the process has exited, with its signal (e.g. SIGKILL) or exit code. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago, so restarts can keep the same address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function readFrom(file: string, offset: number): string {
  const size = sizeOf(file);
  if (size <= offset) return '';
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Starts the entry under the same Node binary (with tsx) and waits for its "started" log line. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const offset = sizeOf(options.logFile);
  const log = openSync(options.logFile, 'a');
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', options.entry ?? 'src/node.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(options.port ?? 0),
        DATABASE_PATH: options.databasePath,
        // Required in production; nothing these tests read prints it.
        PUBLIC_BASE_URL: 'http://127.0.0.1',
        ...options.env,
      },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let url: string | undefined;
  while (!url) {
    // Complete lines only: the last one may still be half written.
    for (const line of readFrom(options.logFile, offset).split('\n').slice(0, -1)) {
      if (line.includes('"event":"started"')) url = (JSON.parse(line) as { url: string }).url;
    }
    if (url) break;
    if (gone || Date.now() > deadline) {
      if (!gone) child.kill('SIGKILL');
      throw new Error(`The service did not start:\n${readFrom(options.logFile, offset).slice(-2000)}`);
    }
    await sleep(20);
  }

  const signalAndWait = async (signal: NodeJS.Signals) => {
    if (!gone) child.kill(signal);
    await exited;
  };
  return {
    url,
    pid: child.pid!,
    child,
    exited,
    kill: () => signalAndWait('SIGKILL'),
    stop: () => signalAndWait('SIGTERM'),
  };
}

/** Fresh phone keys, as the service reads them from its environment. */
export function secretsEnv(): Record<string, string> {
  const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64');
  return { PHONE_HASH_KEY: key(), PHONE_ENCRYPTION_KEY: key() };
}
