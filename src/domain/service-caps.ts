// How long a service may last and how much time it may keep free after itself. The overlap search
// relies on them (an appointment blocks at most their sum), so they are enforced three times over:
// by the API's schema, by the database's CHECKs, and by the index range the overlap query uses.

export const MAX_SERVICE_MINUTES = 12 * 60;
export const MAX_BUFFER_MINUTES = 4 * 60;

/** The longest span an appointment can block. */
export const MAX_BLOCK_MS = (MAX_SERVICE_MINUTES + MAX_BUFFER_MINUTES) * 60_000;
