// The request thread's side of the writer (src/db/writer-thread.ts): units go to the worker thread
// in order, and their outcomes come back in the same order, one message per group commit.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Statement, StatementResult } from './store.js';
import {
  groupCommitter,
  type UnitOutcome,
  type WireUnit,
  WRITER_ROLE,
  type WriterMessage,
} from './writer-thread.js';

export interface Writer {
  run(statements: Statement[]): Promise<StatementResult[]>;
  /** Closes the writer's connection; units sent before still answer. */
  close(): Promise<void>;
}

type Pending = { done: (r: StatementResult[]) => void; fail: (e: unknown) => void };

function settle(pending: Pending[], outcomes: UnitOutcome[]) {
  for (const outcome of outcomes) {
    const unit = pending.shift();
    if (!unit) continue;
    if (outcome.ok) unit.done(outcome.results);
    else unit.fail(Object.assign(new Error(outcome.error.message), { code: outcome.error.code }));
  }
}

/**
 * The request thread's side of the numbering (see WireUnit): one per writer thread, since a new thread
 * knows no texts. Past `limit` texts (units whose text varies, like IN lists of many lengths) both
 * sides start over, so neither map grows without bound.
 */
export function wireEncoder(limit = 1000) {
  let ids = new Map<string, number>();
  return (statements: Statement[]): WireUnit => {
    const unit: WireUnit = { ids: new Array(statements.length), params: new Array(statements.length) };
    if (ids.size + statements.length > limit) {
      ids = new Map();
      unit.reset = true;
    }
    for (let i = 0; i < statements.length; i++) {
      const { sql, params } = statements[i] as Statement;
      let id = ids.get(sql);
      if (id === undefined) {
        id = ids.size;
        ids.set(sql, id);
        if (unit.texts) unit.texts.push(sql);
        else unit.texts = [sql];
      }
      unit.ids[i] = id;
      unit.params[i] = params;
    }
    return unit;
  };
}

/** A writer in a worker thread, on its own connection to the file at `path`. */
export function threadWriter(path: string): Writer {
  let worker: Worker | undefined;
  // Numbering of statement texts: a new one with each thread, which knows none.
  let encode: ReturnType<typeof wireEncoder>;
  let closing = false;
  const pending: Pending[] = [];
  const start = () => {
    const started = new Worker(new URL('./writer-thread.ts', import.meta.url), {
      workerData: { role: WRITER_ROLE, path },
    });
    // An idle writer does not keep the process alive (the server and the timers decide that); one
    // with units to answer does.
    started.unref();
    encode = wireEncoder();
    started.on('message', (outcomes: UnitOutcome[]) => {
      settle(pending, outcomes);
      if (pending.length === 0) started.unref();
    });
    const lost = (error: unknown) => {
      if (worker === started) worker = undefined;
      // What it held fails as it would in a crash: unacknowledged, its group committed or not (the
      // units' own guards keep a retry from doubling an effect). The next unit starts a new writer.
      for (const unit of pending.splice(0)) unit.fail(error);
    };
    started.on('error', lost);
    started.on('exit', (code) => {
      if (!closing) lost(new Error(`The database writer stopped (exit code ${code})`));
    });
    return started;
  };
  // Started now, so it is ready by the first write.
  worker = start();
  return {
    run(statements) {
      if (closing) return Promise.reject(new Error('The database is closed'));
      worker ??= start();
      const sent = worker;
      return new Promise((done, fail) => {
        if (pending.push({ done, fail }) === 1) sent.ref();
        sent.postMessage({ unit: encode(statements) } satisfies WriterMessage);
      });
    },
    async close() {
      closing = true;
      const running = worker;
      if (!running) return;
      const exited = new Promise<void>((done) => running.once('exit', () => done()));
      running.ref();
      running.postMessage({ close: true } satisfies WriterMessage);
      await exited;
    },
  };
}

/** A writer on the request thread's own connection: for `:memory:`, which no other connection shares. */
export function inThreadWriter(sqlite: Database.Database): Writer {
  const pending: Pending[] = [];
  const committer = groupCommitter(sqlite, (outcomes) => settle(pending, outcomes));
  return {
    run: (statements) =>
      new Promise((done, fail) => {
        pending.push({ done, fail });
        committer.run(statements);
      }),
    // What is queued runs before the connection closes.
    close: async () => committer.flush(),
  };
}
