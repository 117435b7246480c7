// What the application needs from its runtime; each entry (Node, Workers, a test) builds one.
import type { Store } from './db/store.js';
import type { Clock } from './domain/clock.js';
import type { Logger } from './logger.js';
import type { PhoneVault } from './security/phone-vault.js';

export interface AppDeps {
  store: Store;
  vault: PhoneVault;
  clock: Clock;
  logger: Logger;
}
