// Vitest global setup: one platform stand-in (test/support/platform-stand-in.ts) for the whole run,
// its URL handed to test files with inject('platformStandIn'); workerd reaches it over HTTP.
import type { TestProject } from 'vitest/node';
import { startPlatformStandIn } from './platform-stand-in.js';

declare module 'vitest' {
  export interface ProvidedContext {
    platformStandIn: string;
  }
}

export default async function setup(project: TestProject) {
  const standIn = await startPlatformStandIn();
  project.provide('platformStandIn', standIn.url);
  return () => standIn.close();
}
