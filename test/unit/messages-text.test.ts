// The pure parts of messages to patients: SMS segment counting, template placeholders and quiet hours.
import { describe, expect, it } from 'vitest';
import { quietWindowAt, reminderSendTime } from '../../src/messaging/quiet-hours.js';
import { countSegments } from '../../src/messaging/segments.js';
import {
  DEFAULT_TEMPLATES,
  estimateSegments,
  messageLanguageOf,
  unknownPlaceholders,
} from '../../src/messaging/templates.js';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    // The extension table (€ [ ] { } ~ ^ | \\) takes two septets each.
    ['€'.repeat(80), 'GSM-7', 160, 1],
    ['€'.repeat(81), 'GSM-7', 162, 2],
    // Accents in the GSM alphabet keep GSM-7; one outside it makes the whole text UCS-2.
    ['Olá é à ü ñ Ç', 'UCS-2', 13, 1],
    ['à é ù ì ò Ç ñ ü Ä Ö', 'GSM-7', 19, 1],
    [`${'a'.repeat(69)}ã`, 'UCS-2', 70, 1],
    [`${'a'.repeat(70)}ã`, 'UCS-2', 71, 2],
    ['ç'.repeat(134), 'UCS-2', 134, 2],
    ['ç'.repeat(135), 'UCS-2', 135, 3],
  ])('%j: %s, %i units, %i segments', (text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });
});

describe('templates', () => {
  it('every default names only known placeholders and fits in the default limit (3)', () => {
    for (const byLanguage of Object.values(DEFAULT_TEMPLATES)) {
      for (const text of Object.values(byLanguage)) {
        expect(unknownPlaceholders(text)).toEqual([]);
        expect(estimateSegments(text).segments).toBeLessThanOrEqual(3);
      }
    }
  });

  it('the triage and feedback links keep to the GSM-7 alphabet, in two segments with typical values', () => {
    for (const kind of ['triage', 'feedback'] as const) {
      for (const text of Object.values(DEFAULT_TEMPLATES[kind])) {
        expect(estimateSegments(text), text).toMatchObject({ encoding: 'GSM-7', segments: 2 });
      }
    }
  });

  it('picks the nearest template language', () => {
    expect(['pt-PT', 'pt', 'pt-BR', 'PT-br', 'es-MX', 'en-GB', 'de'].map(messageLanguageOf)).toEqual([
      'pt-PT',
      'pt-PT',
      'pt-BR',
      'pt-BR',
      'es',
      'en',
      'en',
    ]);
  });
});

describe('quiet hours', () => {
  const zone = 'Europe/Lisbon';
  const quiet = { start: '21:00', end: '09:00' };
  const at = (iso: string) => Date.parse(iso);

  it('finds the window across midnight, on either side of it', () => {
    expect(quietWindowAt(at('2026-07-01T21:30:00+01:00'), zone, quiet)).toEqual({
      from: at('2026-07-01T21:00:00+01:00'),
      to: at('2026-07-02T09:00:00+01:00'),
    });
    expect(quietWindowAt(at('2026-07-02T08:59:00+01:00'), zone, quiet)).toEqual({
      from: at('2026-07-01T21:00:00+01:00'),
      to: at('2026-07-02T09:00:00+01:00'),
    });
    expect(quietWindowAt(at('2026-07-02T09:00:00+01:00'), zone, quiet)).toBeNull();
    expect(
      quietWindowAt(at('2026-07-02T12:00:00+01:00'), zone, { start: '12:00', end: '14:00' }),
    ).not.toBeNull();
  });

  it('moves a reminder to the end of quiet hours, or before they began when that is too late', () => {
    const start = at('2026-07-02T10:00:00+01:00');
    expect(reminderSendTime(at('2026-07-01T10:00:00+01:00'), start, zone, quiet)).toBe(
      at('2026-07-01T10:00:00+01:00'),
    );
    expect(reminderSendTime(at('2026-07-02T07:00:00+01:00'), start, zone, quiet)).toBe(
      at('2026-07-02T09:00:00+01:00'),
    );
    const early = at('2026-07-02T08:30:00+01:00');
    expect(reminderSendTime(at('2026-07-02T06:30:00+01:00'), early, zone, quiet)).toBe(
      at('2026-07-01T20:59:00+01:00'),
    );
    expect(reminderSendTime(at('2026-07-02T06:30:00+01:00'), early, zone, null)).toBe(
      at('2026-07-02T06:30:00+01:00'),
    );
  });
});

// Clock changes: the window is read on the wall clock of each day, so a 23 h or 25 h day moves it
// by no hour. Lisbon springs forward at 01:00 on the last Sunday of March and falls back at 02:00 on
// the last Sunday of October; São Paulo kept DST until 2019, switching at midnight (so the day began
// at 01:00 on the spring day).
describe('quiet hours across clock changes', () => {
  const at = (iso: string) => Date.parse(iso);
  const lisbon = 'Europe/Lisbon';
  const quiet = { start: '21:00', end: '09:00' };

  it('Lisbon, spring forward (29 March 2026): quiet ends at 09:00 summer time, not an hour later', () => {
    expect(quietWindowAt(at('2026-03-29T00:30:00Z'), lisbon, quiet)).toEqual({
      from: at('2026-03-28T21:00:00Z'),
      to: at('2026-03-29T09:00:00+01:00'),
    });
    expect(quietWindowAt(at('2026-03-29T09:30:00+01:00'), lisbon, quiet)).toBeNull();
    // The evening of the short day: quiet from 21:00 summer time.
    expect(quietWindowAt(at('2026-03-29T21:10:00+01:00'), lisbon, quiet)).toEqual({
      from: at('2026-03-29T21:00:00+01:00'),
      to: at('2026-03-30T09:00:00+01:00'),
    });
    expect(quietWindowAt(at('2026-03-29T20:50:00+01:00'), lisbon, quiet)).toBeNull();
  });

  it('Lisbon, fall back (25 October 2026): quiet from 21:00 and until 09:00 winter time', () => {
    expect(quietWindowAt(at('2026-10-25T01:30:00Z'), lisbon, quiet)).toEqual({
      from: at('2026-10-24T21:00:00+01:00'),
      to: at('2026-10-25T09:00:00Z'),
    });
    expect(quietWindowAt(at('2026-10-25T08:30:00Z'), lisbon, quiet)).not.toBeNull();
    expect(quietWindowAt(at('2026-10-25T09:00:00Z'), lisbon, quiet)).toBeNull();
    expect(quietWindowAt(at('2026-10-25T20:59:00Z'), lisbon, quiet)).toBeNull();
    expect(quietWindowAt(at('2026-10-25T21:00:00Z'), lisbon, quiet)?.from).toBe(at('2026-10-25T21:00:00Z'));
  });

  it('a daytime window on the changing day keeps its wall-clock hours', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(quietWindowAt(at('2026-03-29T12:30:00+01:00'), lisbon, lunch)).toEqual({
      from: at('2026-03-29T12:00:00+01:00'),
      to: at('2026-03-29T14:00:00+01:00'),
    });
    expect(quietWindowAt(at('2026-10-25T13:30:00Z'), lisbon, lunch)).toEqual({
      from: at('2026-10-25T12:00:00Z'),
      to: at('2026-10-25T14:00:00Z'),
    });
  });

  it('a reminder planned in the night of a change goes at 09:00 local', () => {
    const visit = at('2026-03-29T11:00:00+01:00');
    expect(reminderSendTime(at('2026-03-29T03:00:00+01:00'), visit, lisbon, quiet)).toBe(
      at('2026-03-29T09:00:00+01:00'),
    );
    const autumn = at('2026-10-25T11:00:00Z');
    expect(reminderSendTime(at('2026-10-25T03:00:00Z'), autumn, lisbon, quiet)).toBe(
      at('2026-10-25T09:00:00Z'),
    );
  });

  it('São Paulo: no DST since 2019, and the old midnight switch (4 November 2018) keeps 09:00', () => {
    const sp = 'America/Sao_Paulo';
    expect(quietWindowAt(at('2026-11-01T05:00:00-03:00'), sp, quiet)).toEqual({
      from: at('2026-10-31T21:00:00-03:00'),
      to: at('2026-11-01T09:00:00-03:00'),
    });
    // 4 Nov 2018: 00:00 became 01:00 (-02:00); the day's 09:00 is 09:00-02:00.
    expect(quietWindowAt(at('2018-11-04T08:00:00-02:00'), sp, quiet)).toEqual({
      from: at('2018-11-03T21:00:00-03:00'),
      to: at('2018-11-04T09:00:00-02:00'),
    });
    // 17 Feb 2019: 00:00 (-02:00) went back to 23:00 on the 16th (-03:00).
    expect(quietWindowAt(at('2019-02-16T23:30:00-03:00'), sp, quiet)).toEqual({
      from: at('2019-02-16T21:00:00-02:00'),
      to: at('2019-02-17T09:00:00-03:00'),
    });
  });
});
