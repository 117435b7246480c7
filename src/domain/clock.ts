// Time comes from the dependencies, never from Date.now() in the core, so tests can stand anywhere.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
