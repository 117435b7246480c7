// Opaque page cursors: a list's position (an instant and an id) as base64url JSON. Clients pass
// them back unchanged; anything else is a validation error naming the cursor.

import { fieldInvalid } from '../domain/errors.js';
import { fromBase64, toBase64Url, utf8 } from '../security/encoding.js';

export interface Position {
  at: number;
  id: string;
}

export const encodeCursor = (p: Position) => toBase64Url(utf8.encode(JSON.stringify([p.at, p.id])));

export function decodeCursor(cursor: string): Position {
  try {
    const [at, id] = JSON.parse(new TextDecoder().decode(fromBase64(cursor))) as unknown[];
    if (typeof at === 'number' && typeof id === 'string') return { at, id };
  } catch {
    // falls through to the validation error
  }
  throw fieldInvalid('cursor', 'Not a cursor returned by this API');
}
