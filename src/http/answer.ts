// Sends what a booking-core command answered: the exact stored bytes, replayed or fresh (I-6).
import type { Context } from 'hono';
import type { CommandResult } from '../booking/command.js';

export function sendAnswer(c: Context, { answer, replayed }: CommandResult) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (answer.location) headers.Location = answer.location;
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  if (answer.status === 204) return c.body(null, 204, headers);
  return c.body(answer.body, answer.status as 200, headers);
}
