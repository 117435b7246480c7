// Turning what a caller said (via the LLM) into the clinic's records and instants.
import { DateTime } from 'luxon';
import type { CatalogRow } from '../booking/catalog.js';
import { foldText } from '../domain/text.js';
import { localDay, parseInstant } from '../domain/time.js';
import type { VoiceSession } from './session.js';

/** By id, then exact (accent-free) name, then a unique partial name. */
function match<T extends { id: string; name: string }>(items: T[], said: string): T | undefined {
  const wanted = foldText(said);
  return (
    items.find((i) => i.id === said.trim()) ??
    items.find((i) => foldText(i.name) === wanted) ??
    (() => {
      const partial = items.filter(
        (i) => foldText(i.name).includes(wanted) || wanted.includes(foldText(i.name)),
      );
      return partial.length === 1 ? partial[0] : undefined;
    })()
  );
}

// A tool call names services and professionals several times (match, speak, describe): the clinic's
// catalogue is read once per session (one webhook request) and shared.
export const activeServices = async (s: VoiceSession) =>
  (await s.catalog.read()).services.filter((x) => x.active);
export const activeProfessionals = async (s: VoiceSession) =>
  (await s.catalog.read()).professionals.filter((x) => x.active);

export async function resolveService(
  s: VoiceSession,
  said: string,
): Promise<CatalogRow<'service'> | undefined> {
  return match(await activeServices(s), said);
}

export async function resolveProfessional(
  s: VoiceSession,
  said: string,
): Promise<CatalogRow<'professional'> | undefined> {
  return match(await activeProfessionals(s), said);
}

/** "2026-05-14T10:00" (clinic's wall clock), "2026-05-14 10:00", or ISO with offset → epoch ms. */
export function resolveInstant(text: string, zone: string): number | null {
  const withOffset = parseInstant(text);
  if (withOffset !== null) return withOffset;
  const local = DateTime.fromISO(text.trim().replace(' ', 'T'), { zone });
  return local.isValid ? local.toMillis() : null;
}

/** A local day "YYYY-MM-DD" (anything after it ignored) → [start, end) of that day in the clinic's zone. */
export const resolveDay = (text: string, zone: string) => localDay(text.trim().slice(0, 10), zone);
