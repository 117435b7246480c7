// /api/v1/appointments: Voki's appointments API as one more door into the booking core. Bookings made
// here are ordinary appointments (source manual): /v1, the voice door and the webhooks see them, and
// this door sees theirs. Writes go through commandContext/runCommand like every door's, so an
// Idempotency-Key, the overlap rule and the history hold here too.
import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { grants } from '../accounts/scopes.js';
import {
  catalogNames,
  findAppointmentPage,
  type PageSort,
  type StatusCase,
} from '../booking/appointment-pages.js';
import { bookAppointment } from '../booking/book.js';
import { type AppointmentChange, changeAppointment } from '../booking/change.js';
import type { CommandResult } from '../booking/command.js';
import { conflictingRows } from '../booking/conflicts.js';
import { commandContext } from '../booking/context.js';
import { getAppointment } from '../booking/find.js';
import type { AnswerFor } from '../booking/outcome.js';
import { knownPatient, patientIdOf, patientPhoneOf } from '../booking/patient-id.js';
import { AppError, type FieldError, validationFailed } from '../domain/errors.js';
import { toE164 } from '../domain/phone.js';
import { localDay, MINUTE, parseInstant } from '../domain/time.js';
import type { AppEnv } from '../http/env.js';
import { requireScope } from '../http/middleware.js';
import { IdParam } from '../http/path-params.js';
import { createRouter, validationError } from '../http/router.js';
import { VOKI_PREFIX } from './door.js';
import { vokiRefusal } from './errors.js';
import {
  VokiAppointmentData,
  VokiAppointmentList,
  VokiCancelBody,
  VokiConflicts,
  VokiConflictsQuery,
  VokiCreateBody,
  VokiError,
  VokiHeaders,
  VokiListQuery,
  type VokiSort,
  type VokiStatus,
  VokiUpdateBody,
  VokiWriteHeaders,
} from './schemas.js';
import { auditPhones, type PhonePolicy, vokiAppointment, vokiAppointments } from './view.js';

export const VOKI_TAG = 'Voki appointments';
const BASE = `${VOKI_PREFIX}/appointments`;

const ERROR_TEXT = {
  400: 'Unreadable request (invalid JSON or Idempotency-Key): `{"errors": {"detail": …}}`',
  401: 'No valid API key: `{"errors": {"detail": …}}`',
  403: 'The key lacks the scope, the clinic is suspended, or X-Tenant names another clinic',
  404: '`{"errors": {"detail": "Not Found"}}` (also for another clinic\'s appointment)',
  409: 'The slot is taken, or the status cannot make this move: `{"errors": {"detail": …}}`',
  413: 'Body larger than 64 KiB',
  415: 'Body is not application/json',
  422: 'Invalid fields, Ecto style: `{"errors": {"field": ["message"]}}`',
  429: 'Rate limit exceeded; wait Retry-After seconds',
  500: 'Unexpected error',
} as const;
type ErrorStatus = keyof typeof ERROR_TEXT;

function errors<const S extends ErrorStatus>(...extra: S[]) {
  const statuses = [...new Set([401, 403, 429, 500, ...extra] as ErrorStatus[])];
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: ERROR_TEXT[s], content: { 'application/json': { schema: VokiError } } },
    ]),
  ) as Record<
    401 | 403 | 429 | 500 | S,
    { description: string; content: { 'application/json': { schema: typeof VokiError } } }
  >;
}
const writeErrors = <const S extends ErrorStatus>(...extra: S[]) =>
  errors<400 | 413 | 415 | 422 | S>(400, 413, 415, 422, ...extra);

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T, required = true) => ({
  required,
  content: { 'application/json': { schema } },
});

const read = () => [requireScope('appointments:read')];
const write = () => [requireScope('appointments:write')];

/** The Voki status filter in the core's terms: the stored status and whether a confirmation is recorded. */
const STATUS_CASES: Record<VokiStatus, StatusCase> = {
  scheduled: { statuses: ['confirmed', 'rescheduled'], confirmed: false },
  confirmed: { statuses: ['confirmed', 'rescheduled'], confirmed: true },
  completed: { statuses: ['attended'] },
  cancelled: { statuses: ['cancelled'] },
  no_show: { statuses: ['no_show'] },
};

const SORTS: Record<VokiSort, PageSort> = {
  scheduled_at: 'startsAt',
  inserted_at: 'createdAt',
  updated_at: 'updatedAt',
  title: 'title',
  status: 'status',
};

const policyOf = (c: Context<AppEnv>): PhonePolicy => ({
  showPhones: grants(c.var.credential.scopes, 'appointments:read_phone'),
  actor: `key:${c.var.credential.keyId}`,
});

const fieldError = (path: string, message: string): FieldError => ({ path, message });
const invalid = (errors: FieldError[]) =>
  validationFailed(`${errors[0]!.path}: ${errors[0]!.message}`, errors);

/** A Voki date filter: a calendar date is the clinic's local day, else an instant with Z or an offset. */
function bound(value: string | undefined, field: string, zone: string, edge: 'start' | 'end') {
  if (value === undefined) return undefined;
  const day = localDay(value, zone);
  if (day) return edge === 'start' ? day[0] : day[1] - 1;
  const at = parseInstant(value);
  if (at === null) throw invalid([fieldError(field, 'is invalid')]);
  return at;
}

/** The core's outcome as Voki's answer: `{"data": appointment}`, or the refusal in Voki's words. */
const vokiAnswer =
  (c: Context<AppEnv>, success: 200 | 201): AnswerFor =>
  async (outcome) => {
    if (outcome.kind === 'refused') return vokiRefusal(outcome.refusal);
    const { deps, credential } = c.var;
    const names = await catalogNames(deps, credential.tenant, [outcome.record]);
    // Recorded with the phone masked whatever the key may read: the answer is kept with the
    // Idempotency-Key, and a patient's number is only ever stored sealed. `send` fills it in.
    const data = await vokiAppointment(deps, outcome.record, names, { ...policyOf(c), showPhones: false });
    return { status: success, body: JSON.stringify({ data }), location: `${BASE}/${outcome.record.id}` };
  };

function vokiCommand(c: Context<AppEnv>, input: unknown, success: 200 | 201) {
  const { credential, deps } = c.var;
  return commandContext({
    deps,
    tenant: credential.tenant,
    actor: `key:${credential.keyId}`,
    source: 'manual',
    answer: vokiAnswer(c, success),
    key: {
      value: c.req.header('idempotency-key'),
      scope: `key:${credential.keyId}`,
      operation: `${c.req.method} ${c.req.path}`,
      input,
    },
  });
}

/** Sends the recorded bytes (a replay is byte-identical); a disclosed phone is audited. */
async function send(c: Context<AppEnv>, { answer, replayed }: CommandResult) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (answer.location) headers.Location = answer.location;
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  const policy = policyOf(c);
  let body = answer.body;
  if (policy.showPhones && answer.status < 300) {
    // The recorded answer holds the phone masked; a key that may read it gets it in full, audited.
    const recorded = JSON.parse(answer.body) as { data: { id: string; customer_phone: string | null } };
    const row = await getAppointment(c.var.deps, c.var.credential.tenant, recorded.data.id);
    recorded.data.customer_phone = await patientPhoneOf(c.var.deps, row);
    body = JSON.stringify(recorded);
    await auditPhones(c.var.deps, c.var.credential.tenant, [row], policy);
  }
  // The route declares this JSON ({data} or VokiError); the bytes were rendered by vokiAnswer.
  return c.body(body, answer.status as 200, headers) as never;
}

const listRoute = createRoute({
  method: 'get',
  path: BASE,
  tags: [VOKI_TAG],
  summary: 'List appointments (Voki)',
  description:
    'Page-numbered, `{"data": [...], "meta": {current_page, page_size, total_pages, total_count}}`. ' +
    'Defaults: page 1, page_size 20 (at most 100), sort_by scheduled_at, sort_order asc. `date_from` and ' +
    "`date_to` take a date (the clinic's local day, both inclusive) or an instant.",
  middleware: read(),
  request: { query: VokiListQuery, headers: VokiHeaders },
  responses: { 200: json(VokiAppointmentList, 'A page of appointments'), ...errors(422) },
});

const createRouteDef = createRoute({
  method: 'post',
  path: BASE,
  tags: [VOKI_TAG],
  summary: 'Create an appointment (Voki)',
  description:
    'Books through the same core as POST /v1/appointments (source manual). `duration_minutes` sets this ' +
    "appointment's length (default: the service's); without `user_id` the first free qualified professional " +
    'takes it. A taken slot is 409. `customer_phone` is required unless `customer_id` names a known patient.',
  middleware: write(),
  request: { headers: VokiWriteHeaders, body: body(VokiCreateBody) },
  responses: { 201: json(VokiAppointmentData, 'Created (or replayed)'), ...writeErrors(404, 409) },
});

const conflictsRoute = createRoute({
  method: 'get',
  path: `${BASE}/conflicts`,
  tags: [VOKI_TAG],
  summary: 'Check conflicts (Voki)',
  description: "The agent's appointments that hold their slot and overlap this time (touching is fine).",
  middleware: read(),
  request: { query: VokiConflictsQuery, headers: VokiHeaders },
  responses: { 200: json(VokiConflicts, 'Conflicts, if any'), ...errors(422) },
});

const getRoute = createRoute({
  method: 'get',
  path: `${BASE}/{id}`,
  tags: [VOKI_TAG],
  summary: 'Get an appointment (Voki)',
  middleware: read(),
  request: { params: IdParam, headers: VokiHeaders },
  responses: { 200: json(VokiAppointmentData, 'The appointment'), ...errors(404) },
});

const updateRoute = createRoute({
  method: 'put',
  path: `${BASE}/{id}`,
  tags: [VOKI_TAG],
  summary: 'Update an appointment (Voki)',
  description:
    'title, description, notes, customer_email; a new scheduled_at, duration_minutes, user_id or ' +
    'department_id moves it (overlap-checked, 409 when taken). Who it is for does not change.',
  middleware: write(),
  request: { params: IdParam, headers: VokiWriteHeaders, body: body(VokiUpdateBody) },
  responses: { 200: json(VokiAppointmentData, 'The appointment after the change'), ...writeErrors(404, 409) },
});

const action = (path: string, summary: string, description: string, withBody = false) =>
  createRoute({
    method: 'post',
    path: `${BASE}/{id}/${path}`,
    tags: [VOKI_TAG],
    summary,
    description,
    middleware: write(),
    request: {
      params: IdParam,
      headers: VokiWriteHeaders,
      ...(withBody ? { body: body(VokiCancelBody, false) } : {}),
    },
    responses: {
      200: json(VokiAppointmentData, 'The appointment after the change'),
      ...writeErrors(404, 409),
    },
  });

const confirmRoute = action(
  'confirm',
  'Confirm (Voki)',
  'scheduled → confirmed: records when, by which key and through which door it was confirmed. ' +
    'Confirming a confirmed appointment changes nothing; a cancelled, completed or no-show one is 409.',
);
const cancelRoute = action('cancel', 'Cancel (Voki)', 'Optional `{"reason": "…"}`. Final.', true);
const completeRoute = action('complete', 'Mark as completed (Voki)', 'The patient attended. Final.');
const noShowRoute = action(
  'no-show',
  'Mark as no-show (Voki)',
  'Only once the appointment has started. Final.',
);

async function change(c: Context<AppEnv>, id: string, input: unknown, what: AppointmentChange) {
  const ctx = await vokiCommand(c, input, 200);
  return send(c, await changeAppointment(ctx, id, what));
}

/** Voki's `{"reason"}`, optional: no body, or an empty one, is a cancel without a reason. */
async function cancelReason(c: Context<AppEnv>) {
  const raw = await c.req.text();
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AppError('malformed_payload', 'The request body is not valid JSON');
  }
  const result = VokiCancelBody.safeParse(parsed ?? {});
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export const vokiRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const { deps, credential } = c.var;
    const zone = credential.tenant.config.timezone;
    const { rows, total } = await findAppointmentPage(deps, credential.tenant, {
      statusCases: q.status ? [STATUS_CASES[q.status]] : undefined,
      from: bound(q.date_from, 'date_from', zone, 'start'),
      to: bound(q.date_to, 'date_to', zone, 'end'),
      professionalId: q.user_id,
      serviceTypeId: q.department_id,
      sortBy: SORTS[q.sort_by],
      sortOrder: q.sort_order,
      page: q.page,
      pageSize: q.page_size,
    });
    const data = await vokiAppointments(deps, credential.tenant, rows, policyOf(c));
    const meta = {
      current_page: q.page,
      page_size: q.page_size,
      total_pages: Math.max(1, Math.ceil(total / q.page_size)),
      total_count: total,
    };
    return c.json({ data, meta }, 200);
  })
  .openapi(createRouteDef, async (c) => {
    const input = c.req.valid('json');
    const a = input.appointment;
    const { deps, credential } = c.var;
    let name = a.customer_name;
    let phone = a.customer_phone;
    let email = a.customer_email;
    if (a.customer_id) {
      const known = await knownPatient(deps, credential.tenant, a.customer_id);
      // customer_id names the patient: a phone that is someone else's is refused, as on update.
      if (phone && known.phone && toE164(phone, credential.tenant.country) !== known.phone) {
        throw invalid([fieldError('customer_phone', "does not match customer_id's phone")]);
      }
      name ??= known.name;
      phone ??= known.phone;
      if (email === undefined) email = known.email;
    }
    const missing = [
      ...(name ? [] : [fieldError('customer_name', "can't be blank")]),
      ...(phone ? [] : [fieldError('customer_phone', "can't be blank")]),
    ];
    if (missing.length) throw invalid(missing);
    const ctx = await vokiCommand(c, input, 201);
    const result = await bookAppointment(ctx, {
      professionalId: a.user_id ?? undefined,
      serviceTypeId: a.department_id,
      patientName: name!,
      patientPhone: phone!,
      startsAt: a.scheduled_at,
      patientNotes: a.notes ?? null,
      title: a.title,
      description: a.description ?? null,
      patientEmail: email ?? null,
      durationMinutes: a.duration_minutes,
    });
    return send(c, result);
  })
  .openapi(conflictsRoute, async (c) => {
    const q = c.req.valid('query');
    const { deps, credential } = c.var;
    const rows = await conflictingRows(deps, credential.tenant, {
      professionalId: q.user_id,
      startsAt: q.scheduled_at,
      durationMinutes: q.duration_minutes,
      excludeId: q.exclude_id,
    });
    const conflicts = await vokiAppointments(deps, credential.tenant, rows, policyOf(c));
    return c.json({ data: { has_conflicts: conflicts.length > 0, conflicts } }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { deps, credential } = c.var;
    const row = await getAppointment(deps, credential.tenant, c.req.valid('param').id);
    const [data] = await vokiAppointments(deps, credential.tenant, [row], policyOf(c));
    return c.json({ data: data! }, 200);
  })
  .openapi(updateRoute, async (c) => {
    const input = c.req.valid('json');
    const a = input.appointment;
    const id = c.req.valid('param').id;
    const { deps, credential } = c.var;
    const tenant = credential.tenant;
    const current = await getAppointment(deps, tenant, id);
    // Who the appointment is for stays: the same values are fine (a client sending the whole object).
    const fixed = "can't be changed; cancel and book a new appointment";
    const refused: FieldError[] = [];
    if (a.customer_name !== undefined && a.customer_name !== current.patientName)
      refused.push(fieldError('customer_name', fixed));
    if (a.customer_id != null && a.customer_id !== (await patientIdOf(deps, current)))
      refused.push(fieldError('customer_id', fixed));
    if (
      a.customer_phone !== undefined &&
      toE164(a.customer_phone, tenant.country) !== (await patientPhoneOf(deps, current))
    )
      refused.push(fieldError('customer_phone', fixed));
    if (refused.length) throw invalid(refused);

    const length = Math.round((current.endsAt - current.startsAt) / MINUTE);
    const moves =
      (a.scheduled_at !== undefined && a.scheduled_at !== current.startsAt) ||
      (a.user_id !== undefined && a.user_id !== current.professionalId) ||
      (a.department_id !== undefined && a.department_id !== current.serviceTypeId) ||
      (a.duration_minutes !== undefined && a.duration_minutes !== length);
    return change(c, id, input, {
      title: a.title,
      description: a.description,
      patientEmail: a.customer_email,
      patientNotes: a.notes,
      reschedule: moves
        ? {
            startsAt: a.scheduled_at ?? current.startsAt,
            professionalId: a.user_id,
            serviceTypeId: a.department_id,
            durationMinutes: a.duration_minutes,
          }
        : undefined,
    });
  })
  .openapi(confirmRoute, (c) => change(c, c.req.valid('param').id, null, { confirm: true }))
  .openapi(cancelRoute, async (c) => {
    const { reason } = await cancelReason(c);
    return change(
      c,
      c.req.valid('param').id,
      { reason: reason ?? null },
      {
        status: 'cancelled',
        cancellationReason: reason ?? null,
      },
    );
  })
  .openapi(completeRoute, (c) => change(c, c.req.valid('param').id, null, { status: 'attended' }))
  .openapi(noShowRoute, (c) => change(c, c.req.valid('param').id, null, { status: 'no_show' }));
