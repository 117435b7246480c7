// The typed client's types (test/support/openapi-types.ts) are the app's document as it is now: a
// route or schema change without `npm run openapi:types` fails here, before a typed test can lie.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenApiTypes, OPENAPI_TYPES_PATH } from '../support/openapi-types-generator.js';

describe('generated OpenAPI types', () => {
  it('match what the current app documents (run `npm run openapi:types` after an API change)', async () => {
    const committed = readFileSync(OPENAPI_TYPES_PATH, 'utf8');
    const current = await generateOpenApiTypes();
    expect(current.length).toBeGreaterThan(10_000);
    // Not toBe: a 170 KB diff helps nobody; the first differing line does.
    const [a, b] = [committed.split('\n'), current.split('\n')];
    let line = 0;
    while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
    expect(
      line === a.length && line === b.length ? 'up to date' : `line ${line + 1}: ${a[line]} ≠ ${b[line]}`,
    ).toBe('up to date');
  });
});
