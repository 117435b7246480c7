// Looks for raw patient phone numbers where none may be: database rows (every column but the
// AES-GCM ciphertext), database files byte for byte, logs, response bodies. A number is searched in
// every form a person or a formatter writes it.
import { existsSync, readFileSync } from 'node:fs';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** Columns that may hold a number, sealed with AES-GCM (appointments.patient_phone_encrypted, ...). */
export const isCiphertextColumn = (column: string) => column.endsWith('_encrypted');

/** Every form of the number: as given, E.164, national digits, formatted, RFC 3966, 00-prefixed. */
export function phoneForms(input: string, country: string): string[] {
  const forms = new Set([input.trim()]);
  const parsed = parsePhoneNumberFromString(input, country as CountryCode);
  if (parsed) {
    const national = String(parsed.nationalNumber);
    const withCountry = `${parsed.countryCallingCode}${national}`;
    forms.add(parsed.number);
    forms.add(withCountry);
    forms.add(`00${withCountry}`);
    forms.add(national);
    forms.add(parsed.formatNational());
    forms.add(parsed.formatInternational());
    forms.add(parsed.getURI());
    forms.add(national.replace(/(\d{3})(?=\d)/g, '$1 '));
    forms.add(national.replace(/(\d{3})(?=\d)/g, '$1-'));
  }
  // Short fragments would match unrelated digits; every real form is longer.
  return [...forms].filter((f) => f.replace(/\D/g, '').length >= 9);
}

/** The forms found in `text`, if any. */
export const formsIn = (text: string, forms: string[]) => forms.filter((form) => text.includes(form));

type Query = (sql: string) => Record<string, unknown>[] | Promise<Record<string, unknown>[]>;

/** Every column of every table (but the ciphertexts) that holds one of the forms. */
export async function scanDatabaseRows(query: Query, forms: string[]): Promise<string[]> {
  const findings: string[] = [];
  const tables = await query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  );
  for (const { name: table } of tables as { name: string }[]) {
    const columns = (await query(`PRAGMA table_info("${table}")`)) as { name: string }[];
    for (const { name: column } of columns) {
      if (isCiphertextColumn(column)) continue;
      const rows = await query(
        `SELECT CAST("${column}" AS TEXT) AS v FROM "${table}" WHERE "${column}" IS NOT NULL`,
      );
      for (const { v } of rows) {
        const found = formsIn(String(v), forms);
        if (found.length)
          findings.push(`${table}.${column} holds ${found.join(' / ')}: ${String(v).slice(0, 160)}`);
      }
    }
  }
  return findings;
}

/** Files (database, WAL, logs) that contain one of the forms, byte for byte. */
export function scanFiles(paths: string[], forms: string[]): string[] {
  const findings: string[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const bytes = readFileSync(path);
    for (const form of forms) {
      const at = bytes.indexOf(form, 0, 'utf8');
      if (at >= 0) {
        const context = bytes
          .subarray(Math.max(0, at - 80), at + form.length + 80)
          .toString('utf8')
          .replace(/[^\x20-\x7e]/g, '.');
        findings.push(`${path} contains ${form}: …${context}…`);
      }
    }
  }
  return findings;
}
