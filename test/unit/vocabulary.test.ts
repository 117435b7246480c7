// The database's word lists (src/domain/vocabulary.ts, CHECKed by the schema) must match the doors
// that produce the words: a platform added in src/voice/credentials.ts but not here would be refused
// by the database on its first call.
import { describe, expect, it } from 'vitest';
import { VOICE_PLATFORMS } from '../../src/domain/vocabulary.js';
import { PLATFORMS } from '../../src/voice/credentials.js';

describe('stored word lists', () => {
  it('voice platforms: the CHECKed list is the list of platforms with credentials', () => {
    expect([...VOICE_PLATFORMS].sort()).toEqual([...PLATFORMS].sort());
  });
});
