// Hostile requests generated from the OpenAPI document: every operation, its path, query, header and
// body parameters, each either plausible (so the request reaches deep into the handler) or hostile
// (wrong types, huge or odd strings, SQL, bad dates and phones, malformed JSON, bad headers).
import fc from 'fast-check';

// JSON Schema is untyped here.
type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Schema>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The template, e.g. /v1/appointments/{id}. */
  path: string;
  parameters: Parameter[];
  body?: Schema;
  /** Documented statuses, as numbers. */
  statuses: number[];
  /** Whether the operation needs an API key. */
  secured: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const topSecured = true;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: ((op.parameters ?? []) as Schema[]).map((p) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: p.schema ?? {},
        })),
        body: op.requestBody?.content?.['application/json']?.schema,
        statuses: Object.keys(op.responses ?? {}).map(Number),
        secured: Array.isArray(op.security) ? op.security.length > 0 : topSecured,
      });
    }
  }
  return ops;
}

/** Values that lead somewhere: real ids of the caller's clinic, a valid phone, dates ahead. */
export interface Fixtures {
  key: string;
  /** Resource ids by the name that refers to them (id params are named after their path segment). */
  ids: Record<string, string[]>;
  phones: string[];
  dates: string[];
  /** Only the known ids, never a random uuid (for requests that must succeed). */
  exact?: boolean;
}

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE appointments; --",
  '" OR ""="',
  '1; SELECT * FROM api_keys',
  "%' UNION SELECT key_hash, scopes FROM api_keys --",
  "Robert'); DELETE FROM tenants;--",
  '\\x27 OR 1=1',
  '*/ OR /*',
];
const UNICODE = [
  '\u0000',
  '\uFEFF',
  '\u202E evil',
  '\u2028\u2029',
  '\uD800',
  '\uDFFF\uD800',
  '𝕄𝕒𝕣𝕚𝕒',
  '🦷🦷🦷',
  'Zalgo ą̷̛͎̻',
  'ﷺ',
  'مرحبا',
  '\u200B\u200D',
  'e\u0301',
  '\t\r\n',
];
const BAD_DATES = [
  '2026-02-30T10:00:00Z',
  '2026-13-01T10:00:00Z',
  '2026-06-01T25:00:00Z',
  '0000-00-00T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '2026-06-01T10:00:00',
  '2026-06-01',
  '2026-06-01T10:00:00+25:00',
  '2026-03-29T01:30:00 Europe/Lisbon',
  'yesterday',
  '1e12',
  '-1',
  'NaN',
  '',
];
const BAD_PHONES = [
  '+351',
  '+3519123456789012345',
  '912345678',
  '+1 (555) 010-0000',
  '+000000000',
  '++351912345678',
  '+351９１２３４５６７８',
  'tel:+351912345678',
  '0',
  '+999999999999',
  '+351 91 234 5678 ext. 12',
];
const HEADER_VALUES = [
  'x',
  ' ',
  '"quoted"',
  '""',
  'a'.repeat(300),
  'é',
  '\u00ff\u00fe',
  "' OR 1=1 --",
  'application/json',
  'null',
];

/** Strings nobody should send. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...SQL, ...UNICODE, ...BAD_DATES, ...BAD_PHONES),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc
      .tuple(fc.constantFrom('a', '9', 'é', '🦷', "'", '\u0000'), fc.constantFrom(256, 4_096, 70_000))
      .map(([c, n]) => c.repeat(n)),
  );

/** Anything JSON can hold, including deep nesting. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    hostileString(),
    fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, true, false, null, [], {}),
    fc.jsonValue({ maxDepth: 3 }),
    // Deeper nesting goes as raw text (below): JSON.stringify here would overflow the test's own stack.
    fc.integer({ min: 1, max: 500 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  );

function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; i < 10 && s.$ref; i++) {
    const name = String(s.$ref).split('/').pop()!;
    s = doc.components?.schemas?.[name] ?? {};
  }
  return s;
}

/** The resource an id-like name refers to: `id` in /v1/services/{id} → services; professionalId → professionals. */
export function resourceOf(name: string, path: string): string | undefined {
  if (name === 'id') {
    const segments = path.split('/');
    return segments[segments.indexOf('{id}') - 1];
  }
  if (name === 'channel') return 'channels';
  const match = /^(\w+?)(Type)?Ids?$/.exec(name);
  return match ? `${match[1]}s` : name === 'hash' ? 'patients' : undefined;
}

/** A plausible value for a schema: enums, known ids, valid phones and dates, in-range numbers. */
export function plausible(
  doc: OpenApiDocument,
  raw: Schema,
  name: string,
  path: string,
  f: Fixtures,
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => plausible(doc, s, name, path, f, depth)));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  const known = f.ids[resourceOf(name, path) ?? ''];
  if (known?.length && type !== 'array')
    return f.exact ? fc.constantFrom(...known) : fc.oneof(fc.constantFrom(...known), fc.uuid());
  // Patients' numbers go where a patient's number belongs; the clinic's own lines get clinic numbers,
  // so a clinic phone shown back is never mistaken for a leaked patient number.
  if (name === 'patientPhone') return fc.constantFrom(...f.phones);
  if (/phone/i.test(name) && type !== 'array') return fc.constantFrom('+351213000000', '+351220000001');
  switch (type) {
    case 'string':
      if (schema.format === 'date-time' || /At$|^from$|^to$|Since$/.test(name))
        return fc.constantFrom(...f.dates);
      if (/date$/i.test(name)) return fc.constantFrom(...f.dates.map((d) => d.slice(0, 10)));
      if (/^(start|end)$/.test(name)) return fc.constantFrom('09:00', '13:00', '18:30', '24:00');
      return fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer':
    case 'number':
      return fc.integer({
        min: Math.ceil(schema.minimum ?? schema.exclusiveMinimum ?? 0),
        max: Math.floor(Math.min(schema.maximum ?? schema.exclusiveMaximum ?? 1_000, 10_000)),
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(plausible(doc, schema.items ?? {}, name, path, f, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 3) return fc.constant({});
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const model = Object.fromEntries(
        Object.entries(props).map(([k, s]) => [k, plausible(doc, s, k, path, f, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body: plausible, plausible with some fields made hostile, hostile JSON, or not JSON at all. */
function bodyArbitrary(doc: OpenApiDocument, op: Operation, f: Fixtures): fc.Arbitrary<string | undefined> {
  const schema = resolve(doc, op.body);
  const valid = plausible(doc, schema, '', op.path, f);
  const fields = Object.keys(schema.properties ?? {});
  const spoiled = fc
    .tuple(
      valid,
      fc.array(
        fc.tuple(
          fc.constantFrom(...(fields.length ? fields : ['x']), 'unknownField', '__proto__'),
          hostileValue(),
        ),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    )
    .map(([value, changes]) => {
      const out = (value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {}) as Record<
        string,
        unknown
      >;
      for (const [k, v] of changes)
        Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
      return JSON.stringify(out);
    });
  const malformed = fc.oneof(
    fc.constantFrom(
      '{',
      '{"a":',
      '{]',
      'null x',
      '\u0000',
      '{"a":1,"a":2}',
      '[1,2',
      '"unterminated',
      '{"__proto__":{"admin":true}}',
      'NaN',
      '{"x":1e999999}',
    ),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.nat({ max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((v) => JSON.stringify(v)) },
    { weight: 4, arbitrary: spoiled },
    { weight: 2, arbitrary: malformed },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Encoded as one segment: lone surrogates replaced, dots escaped so the client keeps `..` literal. */
function pathSegment(value: string): string {
  const wellFormed = value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return encodeURIComponent(wellFormed || 'x').replace(/\./g, '%2E');
}

const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, '').trim();

/** One hostile-or-plausible request for the operation. */
export function requestArbitrary(
  doc: OpenApiDocument,
  op: Operation,
  f: Fixtures,
): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const value = (p: Parameter) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: plausible(doc, p.schema, p.name, op.path, f).map((v) =>
          Array.isArray(v) ? v.join(',') : String(v),
        ),
      },
      { weight: 2, arbitrary: hostileString().map((s) => s.slice(0, 2_000)) },
    );
  const path = fc
    .tuple(...pathParams.map(value))
    .map((values) =>
      values.reduce<string>((p, v, i) => p.replace(`{${pathParams[i]!.name}}`, pathSegment(v)), op.path),
    );
  const query = fc.tuple(
    ...queryParams.map((p) => fc.option(value(p), { nil: undefined })),
    fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', 'from', 'cursor', '__proto__'), hostileString()), {
      nil: undefined,
    }),
  );
  const auth = fc.oneof(
    { weight: 12, arbitrary: fc.constant<string | undefined>(`Bearer ${f.key}`) },
    { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          'Bearer',
          'Basic YTpi',
          `bearer ${f.key}`,
          `Bearer  ${f.key} `,
          `Bearer ${f.key}x`,
          'Bearer miv_live_',
        ),
        hostileString().map((s) => `Bearer ${headerSafe(s).slice(0, 500)}`),
      ),
    },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'application/vnd.api+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json, text/plain',
        '',
        '*/*',
      ),
    },
  );
  const idempotency = op.parameters.some((p) => p.name.toLowerCase() === 'idempotency-key')
    ? fc.option(fc.oneof(fc.uuid(), fc.constantFrom(...HEADER_VALUES, 'same-key-every-time')), {
        nil: undefined,
      })
    : fc.option(fc.uuid(), { nil: undefined });
  const extra = fc.option(
    fc.tuple(
      fc.constantFrom(
        'x-forwarded-for',
        'accept',
        'accept-language',
        'x-request-id',
        'origin',
        'content-encoding',
        'if-match',
      ),
      fc.oneof(
        fc.constantFrom(...HEADER_VALUES, 'gzip', '*', '../../etc/passwd'),
        hostileString().map(headerSafe),
      ),
    ),
    { nil: undefined },
  );
  // fetch cannot send a body with GET; other methods without a documented body may still get one.
  const body = op.body
    ? bodyArbitrary(doc, op, f)
    : op.method === 'GET'
      ? fc.constant(undefined)
      : fc.option(fc.constantFrom('{}', '{"x":1}', 'garbage'), { nil: undefined });

  return fc.record({ path, query, auth, contentType, idempotency, extra, body }).map((r) => {
    const params = new URLSearchParams();
    queryParams.forEach((p, i) => {
      const v = r.query[i] as string | undefined;
      if (v !== undefined) params.append(p.name, v);
    });
    const unknown = r.query[queryParams.length] as [string, string] | undefined;
    if (unknown) params.append(unknown[0], unknown[1].slice(0, 2_000));
    const headers: Record<string, string> = {};
    if (r.auth !== undefined) headers.authorization = r.auth;
    if (r.body !== undefined) headers['content-type'] = r.contentType;
    if (r.idempotency !== undefined) headers['idempotency-key'] = r.idempotency;
    if (r.extra) headers[r.extra[0]] = r.extra[1];
    const search = params.toString();
    return { method: op.method, path: search ? `${r.path}?${search}` : r.path, headers, body: r.body };
  });
}

/** A request shortened for a failure message (hostile strings can be 70 kB). */
export function describeRequest(req: FuzzRequest): string {
  const cut = (v: string) => (v.length > 120 ? `${v.slice(0, 120)}…(${v.length} chars)` : v);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, cut(v)]));
  return JSON.stringify({
    method: req.method,
    path: cut(req.path),
    headers,
    body: req.body && cut(req.body),
  });
}

/** A request of plausible values only: known ids, required query parameters, a schema-shaped body. */
export function plausibleRequestArbitrary(
  doc: OpenApiDocument,
  op: Operation,
  f: Fixtures,
): fc.Arbitrary<FuzzRequest> {
  const exact = { ...f, exact: true };
  const text = (p: Parameter) =>
    plausible(doc, p.schema, p.name, op.path, exact).map((v) => (Array.isArray(v) ? v.join(',') : String(v)));
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  return fc
    .record({
      path: fc.tuple(...pathParams.map(text)),
      query: fc.tuple(
        ...queryParams.map((p) => (p.required ? text(p) : fc.option(text(p), { nil: undefined }))),
      ),
      body: op.body
        ? plausible(doc, resolve(doc, op.body), '', op.path, exact).map((v) => JSON.stringify(v))
        : fc.constant(undefined),
    })
    .map((r) => {
      const path = r.path.reduce<string>(
        (p, v, i) => p.replace(`{${pathParams[i]!.name}}`, pathSegment(v)),
        op.path,
      );
      const params = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const v = r.query[i];
        if (v !== undefined) params.append(p.name, v);
      });
      const search = params.toString();
      const headers: Record<string, string> = { authorization: `Bearer ${f.key}` };
      if (r.body !== undefined) headers['content-type'] = 'application/json';
      return { method: op.method, path: search ? `${path}?${search}` : path, headers, body: r.body };
    });
}
