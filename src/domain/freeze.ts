// Values shared by every request that reads them (a cached row) must not be changed by one of them:
// frozen, a change throws (modules are strict) instead of leaking into the next request's answer.

/** Freezes `value` and every object and array it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
  return value;
}
