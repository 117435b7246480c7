// A newcomer finds a route's tests from the route's file name: src/api/<name>.ts is tested in
// test/api/<name>.test.ts or test/api/<name>-*.test.ts, and a voice platform's adapter
// src/voice/platforms/<platform>.ts in test/api/voice-<platform>.test.ts.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const apiTests = readdirSync(resolve(root, 'test/api'));

/** Route files whose tests live with a closer subject, and where. Not a place to hide a missing test. */
const TESTED_ELSEWHERE: Record<string, string> = {
  // The reference page is the OpenAPI document's page: tested with the document.
  'docs.ts': 'openapi.test.ts',
  // The audit log records reads, exports and erasures of patient data: tested with those rights.
  'audit.ts': 'patient-rights.test.ts',
};

const routeFiles = readdirSync(resolve(root, 'src/api')).filter((f) => f.endsWith('.ts'));

describe('test layout', () => {
  it.each(routeFiles)('src/api/%s has tests named after it', (file) => {
    const name = file.replace(/\.ts$/, '');
    const found = apiTests.filter((t) => t === `${name}.test.ts` || t.startsWith(`${name}-`));
    const elsewhere = TESTED_ELSEWHERE[file];
    if (elsewhere) expect(apiTests).toContain(elsewhere);
    else expect(found, `expected test/api/${name}.test.ts or test/api/${name}-*.test.ts`).not.toEqual([]);
  });

  it('every voice platform adapter has its own test file', () => {
    const platforms = readdirSync(resolve(root, 'src/voice/platforms'))
      .filter((f) => f.endsWith('.ts') && f !== 'derived-id.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(platforms.length).toBeGreaterThan(5);
    for (const platform of platforms)
      expect(existsSync(resolve(root, `test/api/voice-${platform}.test.ts`)), platform).toBe(true);
  });

  it('names no route file that is gone', () => {
    for (const file of Object.keys(TESTED_ELSEWHERE)) expect(routeFiles).toContain(file);
  });
});
