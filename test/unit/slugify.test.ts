// A clinic's slug as made from its name: it is a path segment the Worker routes by, and the
// directory looks up only names of a slug's shape (no dash at either end), so every name must give one.
import { describe, expect, it } from 'vitest';
import { slugify } from '../../src/accounts/tenants.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;

describe('slugify', () => {
  it.each([
    ['Clínica Sorriso', 'clinica-sorriso'],
    ['  Centro Médico — São João  ', 'centro-medico-sao-joao'],
    ['!!!', 'clinic'],
    // Cut at 60 characters right after a dash: the cut leaves none at the end.
    [`${'a'.repeat(59)} b`, 'a'.repeat(59)],
    [`${'a'.repeat(58)} - bc`, `${'a'.repeat(58)}-b`],
  ])('%j → %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slugify(name)).toMatch(SLUG);
  });
});
