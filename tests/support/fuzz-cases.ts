// fast-check arbitraries for requests to the Vapi endpoint: envelopes of every shape, broken
// and valid, with arguments that are wrong in type, size, encoding and content. Every tool
// call carries the generator's verdict: `mayBook: false` when some part of it is invalid by
// construction (so no booking may come of it), `true` when it could be a real booking.
import fc from 'fast-check';

export interface FuzzContext {
  /** Routes to the fuzz clinic. */
  assistantId: string;
  phoneNumberId: string;
  orgId: string;
  /** A clinic with no route: its id appears in arguments and must never be booked into. */
  decoyOrgId: string;
  /** Local days (YYYY-MM-DD) from the day after tomorrow on, in the fuzz clinic's zone. */
  futureDays: readonly string[];
}

export interface FuzzCase {
  kind: string;
  body: string | Uint8Array;
  /**
   * Per tool call, in answer order: may it book? Answers beyond the list (or for a body the
   * generator did not expect to be answered) must not be bookings.
   */
  mayBook: boolean[];
  /** Which credential it is sent with (default the Vapi secret); a mismatch with the shape is a 401. */
  credential?: 'vapi' | 'direct';
  /** Sent with the other shape's credential: must be refused (401), never answered. */
  unauthorized?: boolean;
}

interface Field { key: string; value: unknown; invalid: boolean }
/** `undefined` value = the key is left out. */
type FieldArb = fc.Arbitrary<Field>;

const field = (key: string, value: unknown, invalid: boolean): Field => ({ key, value, invalid });
const maybe = (key: string, values: fc.Arbitrary<unknown>): FieldArb => values.map((v) => field(key, v, false));
const invalid = (key: string, values: fc.Arbitrary<unknown>): FieldArb => values.map((v) => field(key, v, true));

// ---- text of every kind -------------------------------------------------------------------

const UNICODE_NAMES = [
  'Ana María Pérez', "jOHN o'brien", '  mary   ann  ', 'Émile Zola', 'e\u0301lodie d\u0301arc', 'محمد علي', 'שרה כהן',
  'Nguyễn Thị Minh', '日本 太郎', 'Ωμέγα Αλφα', 'ǆemal ǅukić', 'İbrahim Iğdır', 'Straße Groß', '😀 Smiley Sam',
  '👩‍⚕️ Dana', 'Z̷̢̛a̶l̴g̵o̸ Zed', '\u202Eevil\u202C Eve', 'Zero\u200bWidth', '\ufeffBom Bob', 'Ｆｕｌｌ Ｗｉｄｔｈ',
  'Anne-Marie', "O'Neil", 'x Æ a-12', '𝔉𝔯𝔞𝔨𝔱𝔲𝔯', 'ʻOkina Lani', 'Ñandú',
];
const INVALID_NAMES: unknown[] = [
  'Ann\u0000Lee', 'Bob\u0007', 'Tab\tName', 'Line\nBreak', 'Carriage\rReturn', '\u001b[31mRed', 'Sep\u2028Line', 'Para\u2029Graph',
  '12345', '😀😀😀', '---', '!!!', '   ', '\u200b', '', null, 'a'.repeat(101), 'Ab '.repeat(40), '🙂'.repeat(3) + '1',
  123, 0, true, false, [], ['Bob'], {}, { first: 'Bob' },
];

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 20 }),
  fc.string({ maxLength: 60 }),
);
const anyJson = fc.jsonValue({ maxDepth: 4 });

const hugeText = fc.constantFrom(5_000, 20_000, 70_000).map((n) => 'x'.repeat(n));

/** Arrays nested thousands deep: a parser or validator that recurses must still answer. */
const deepNesting = fc.integer({ min: 500, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
});

// ---- fields -------------------------------------------------------------------------------

const nameField: FieldArb = fc.oneof(
  { weight: 4, arbitrary: maybe('name', fc.constantFrom(...UNICODE_NAMES)) },
  { weight: 2, arbitrary: maybe('name', anyText) },
  { weight: 3, arbitrary: invalid('name', fc.constantFrom(...INVALID_NAMES)) },
  { weight: 1, arbitrary: invalid('name', fc.oneof(hugeText, deepNesting, anyJson.filter((v) => typeof v !== 'string'))) },
  { weight: 1, arbitrary: invalid('name', fc.constant(undefined)) },
);

const VALID_PHONES: unknown[] = ['+15554443333', '(555) 444-3333', '555.444.3333', ' +1 555 444 3333 ', '1-555-444-3333', '+44 20 7946 0958', 5554443333, '+1 (212) 555-0100'];
const INVALID_PHONES: unknown[] = [
  'call me maybe', '555-CALL-NOW', '+1 555 444 333a', '٥٥٥٤٤٤٣٣٣٣', '５５５４４４３３３３', '123', '+', '+0 555 444 3333',
  '+1'.padEnd(45, '5'), '5554443333\u0000', 'tel:+15554443333', true, {}, [], ['5554443333'], { number: '+15554443333' },
];
const phoneField: FieldArb = fc.oneof(
  { weight: 4, arbitrary: maybe('phone', fc.oneof(fc.constantFrom(...VALID_PHONES), fc.stringMatching(/^\+?1?[ ().-]?[2-9][0-9]{2}[ ().-]{0,2}[0-9]{3}[ .-]?[0-9]{4}$/))) },
  { weight: 1, arbitrary: maybe('phone', anyText) },
  { weight: 3, arbitrary: invalid('phone', fc.constantFrom(...INVALID_PHONES)) },
  // Left out (or empty): the caller id of the call is used instead; decided by the envelope.
  { weight: 2, arbitrary: maybe('phone', fc.constantFrom(undefined, '', null)) },
);

const INVALID_EMAILS: unknown[] = [
  'not-an-email', 'a@b', 'a@b.c', '@example.com', 'a b@example.com', 'ü@例え.jp', 'josé@example.com', `${'x'.repeat(250)}@example.com`,
  'a@@example.com', 'a@example..com', 'a@b.com\u0000', 'a@b.com\nBcc: x@y.com', 123, true, {}, ['a@b.com'],
];
const emailField: FieldArb = fc.oneof(
  { weight: 3, arbitrary: maybe('email', fc.constantFrom(undefined, '', null, 'Mixed.Case@Example.COM', '  spaced@example.org  ', 'plus+tag@example.co.uk', "o'neil@example.ie")) },
  { weight: 1, arbitrary: maybe('email', anyText) },
  { weight: 2, arbitrary: invalid('email', fc.constantFrom(...INVALID_EMAILS)) },
);

const serviceField: FieldArb = fc.oneof(
  { weight: 4, arbitrary: maybe('serviceType', fc.constantFrom('checkup', 'Cleaning', '  Teeth   Whitening ', 'x-ray', 'check-up!', '🦷 cleaning', 'ORTHO/consult')) },
  { weight: 1, arbitrary: maybe('serviceType', anyText) },
  { weight: 2, arbitrary: invalid('serviceType', fc.constantFrom(undefined, null, '', '   ', 'a'.repeat(65), 'clean\u0000ing', 'x\u0007y', '\u001b', 5, true, {}, [])) },
);

const durationField: FieldArb = fc.oneof(
  { weight: 4, arbitrary: maybe('durationMinutes', fc.constantFrom(undefined, 30, '45', '60 minutes', 15, '20 mins')) },
  { weight: 1, arbitrary: maybe('durationMinutes', fc.oneof(fc.integer(), fc.double(), anyText)) },
  { weight: 2, arbitrary: invalid('durationMinutes', fc.constantFrom(0, 4, 481, -30, 1.5, 1e9, 'forever', '30 hours', '1000', '4 min', true, {}, [])) },
);

const INVALID_DATE_TEXT = [
  // "next tuesday" and "31/12/2026" are understood now (docs/dates.md): not in this list.
  'not a date', 'yesterday', 'next blursday', 'someday', '2026-02-30', '2026-13-01', '31/13/2026', 'Feb 30', 'February 31st',
  '0000-00-00', '', ' ', '\u0000',
];
const INVALID_TIMES: unknown[] = ['25:00', '10:61', '13 pm', '0 am', 'half past eleventy', '24:30', '9:5', '−9:00', true, {}, []];
const INVALID_INSTANTS: unknown[] = [
  '2026-12-01T25:00', '2026-12-01T10:00+19:00', 'Infinity', 'NaN', '1e309', '+275760-09-13T00:00:00Z', '2026-02-29T10:00',
  'T10:00', '10:00', '0000-00-00T00:00', '2026-06-01T10:00:00Zjunk', 1767225600000, -1, true, {}, [], '\u0000',
];

const timeOfDay = fc.constantFrom('9:30 am', '14:00', 'noon', '6:00', '19:45', '5 pm', '10:15', '7:00 p.m.', '11 AM');
const isoTime = fc.constantFrom('09:30', '14:00', '06:00', '19:30', '10:15:00', '12:00:00.000');
const offset = fc.constantFrom('', 'Z', '-05:00', '+00:00', '-0400', '+14:00');

/** The date part: fields plus whether it is certainly unreadable. */
function dateFields(ctx: FuzzContext): fc.Arbitrary<Field[]> {
  const day = fc.constantFrom(...ctx.futureDays);
  const spokenDay = day.map((d) => {
    const [y, m, dd] = d.split('-').map(Number);
    const month = new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, dd ?? 1)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    return `${month} ${dd ?? 1}`;
  });
  return fc.oneof(
    // Readable, in the future (some inside business hours, some not).
    { weight: 3, arbitrary: fc.tuple(day, isoTime, offset).map(([d, t, o]) => [field('scheduledAt', `${d}T${t}${o}`, false)]) },
    { weight: 3, arbitrary: fc.tuple(fc.oneof(day, spokenDay), timeOfDay).map(([d, t]) => [field('date', d, false), field('time', t, false)]) },
    { weight: 1, arbitrary: fc.tuple(spokenDay, timeOfDay).map(([d, t]) => [field('date', `${d} at ${t}`, false)]) },
    // Stale years and past days: corrected forward, may book.
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('2019-06-01', '2024-12-24', '1999-01-01'), isoTime).map(([d, t]) => [field('scheduledAt', `${d}T${t}`, false)]) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('today', 'tomorrow'), timeOfDay).map(([d, t]) => [field('date', d, false), field('time', t, false)]) },
    // Anything.
    { weight: 1, arbitrary: fc.tuple(anyText, anyText).map(([d, t]) => [field('date', d, false), field('time', t, false)]) },
    { weight: 1, arbitrary: anyText.map((s) => [field('scheduledAt', s, false)]) },
    // Certainly unreadable.
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_INSTANTS).map((v) => [field('scheduledAt', v, true)]) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...INVALID_DATE_TEXT), timeOfDay).map(([d, t]) => [field('date', d, true), field('time', t, true)]) },
    { weight: 1, arbitrary: fc.tuple(day, fc.constantFrom(...INVALID_TIMES)).map(([d, t]) => [field('date', d, true), field('time', t, true)]) },
    { weight: 1, arbitrary: day.map((d) => [field('date', d, true)]) }, // a day without a time
    { weight: 1, arbitrary: fc.constant(null).map(() => [field('date', undefined, true)]) }, // no date at all
    { weight: 1, arbitrary: hugeText.map((s) => [field('scheduledAt', s, true)]) },
  );
}

/** Keys that are not argument names (nor aliases of one): ignored, whatever they hold. */
function junkFields(ctx: FuzzContext): fc.Arbitrary<Field[]> {
  const junk = fc.oneof(
    fc.constant(field('orgId', ctx.decoyOrgId, false)),
    fc.constant(field('org_id', ctx.decoyOrgId, false)),
    fc.constant(field('organizationId', ctx.decoyOrgId, false)),
    anyJson.map((v) => field('__proto__', v, false)),
    anyJson.map((v) => field('constructor', v, false)),
    anyJson.map((v) => field('toString', v, false)),
    deepNesting.map((v) => field('nested', v, false)),
    fc.tuple(fc.string({ maxLength: 10 }).filter((k) => !ALIAS_KEYS.has(k)), anyJson).map(([k, v]) => field(k, v, false)),
  );
  return fc.array(junk, { maxLength: 3 });
}

const ALIAS_KEYS = new Set([
  'name', 'fullName', 'full_name', 'customerName', 'customer_name', 'patientName', 'patient_name',
  'phone', 'phoneNumber', 'phone_number', 'customerPhone', 'customer_phone', 'email', 'emailAddress', 'email_address',
  'serviceType', 'service_type', 'service', 'scheduledAt', 'scheduled_at', 'dateTime', 'datetime', 'date_time',
  'date', 'day', 'time', 'durationMinutes', 'duration_minutes', 'duration',
]);

interface Arguments { value: Record<string, unknown>; invalid: boolean; phoneGiven: boolean }

/** What a caller who is understood correctly produces: messy, unicode, but bookable. */
function plausibleFields(ctx: FuzzContext): fc.Arbitrary<[Field, Field, Field, Field, Field[], Field, Field[]]> {
  const day = fc.constantFrom(...ctx.futureDays);
  const hour = fc.integer({ min: 6, max: 19 }).map((h) => String(h).padStart(2, '0'));
  const minute = fc.constantFrom('00', '15', '30', '45');
  return fc.tuple(
    maybe('name', fc.constantFrom(...UNICODE_NAMES)),
    maybe('phone', fc.oneof(fc.constantFrom(...VALID_PHONES), fc.stringMatching(/^\+?1?[ ().-]?[2-9][0-9]{2}[ ().-]{0,2}[0-9]{3}[ .-]?[0-9]{4}$/))),
    maybe('email', fc.constantFrom(undefined, 'Mixed.Case@Example.COM', '  spaced@example.org  ', 'plus+tag@example.co.uk', "o'neil@example.ie", 'UPPER@EXAMPLE.NET')),
    maybe('serviceType', fc.constantFrom('checkup', 'Cleaning', '  Teeth   Whitening ', 'x-ray', 'ORTHO/consult')),
    fc.tuple(day, hour, minute).map(([d, h, m]) => [field('scheduledAt', `${d}T${h}:${m}`, false)]),
    maybe('durationMinutes', fc.constantFrom(undefined, 15, 30, '45', '20 mins')),
    fc.constant([]),
  );
}

function argumentsArb(ctx: FuzzContext): fc.Arbitrary<Arguments> {
  const hostile = fc.tuple(nameField, phoneField, emailField, serviceField, dateFields(ctx), durationField, junkFields(ctx));
  return fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: plausibleFields(ctx) }).map(
    ([name, phone, email, service, date, duration, junk]) => {
      const fields = [...junk, name, phone, email, service, ...date, duration];
      const value: Record<string, unknown> = {};
      for (const f of fields) {
        if (f.value === undefined) continue;
        Object.defineProperty(value, f.key, { value: f.value, enumerable: true, configurable: true, writable: true });
      }
      const phoneGiven = phone.value !== undefined && phone.value !== null && phone.value !== '';
      return { value, invalid: fields.some((f) => f.invalid), phoneGiven };
    },
  );
}

// ---- tool calls and envelopes ---------------------------------------------------------------

interface Encoded { value: unknown; readable: boolean }

/** How the arguments travel: an object, a JSON string (once or twice), or something unreadable. */
function encodeArguments(args: Record<string, unknown>): fc.Arbitrary<Encoded> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant({ value: args, readable: true }) },
    { weight: 2, arbitrary: fc.constant({ value: JSON.stringify(args), readable: true }) },
    { weight: 1, arbitrary: fc.constant({ value: JSON.stringify(JSON.stringify(args)), readable: true }) },
    { weight: 2, arbitrary: fc.constantFrom('{"name": "Bob"', "{'name': 'Bob'}", '"just a string"', 'null', '[1,2]', '{"name":"Bob",}', 'undefined', '\u0000', '{"a":'.repeat(50)).map((v) => ({ value: v, readable: false })) },
    { weight: 1, arbitrary: fc.oneof(fc.constant([args]), fc.integer(), fc.boolean(), deepNesting).map((v) => ({ value: v, readable: false })) },
  );
}

const toolNames = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ name: 'bookClinicAppointment' as unknown, book: true }) },
  { weight: 1, arbitrary: fc.constant({ name: 'checkAvailability' as unknown, book: false }) },
  { weight: 1, arbitrary: fc.constantFrom('BookClinicAppointment', 'bookclinicappointment', 'book_appointment_atomic', 'bookClinicAppointment ', '', 42, null).map((n) => ({ name: n as unknown, book: false })) },
);

let nextId = 0;
/** Ids are echoed back, so they are kept to characters that cannot look like a leak. */
const toolCallIds = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null).map(() => `fz-${(nextId += 1)}`) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, 7, 0, null, {}, [], true, 'x'.repeat(500)) },
);

interface ToolCallSpec { entry: Record<string, unknown>; mayBook: boolean; phoneGiven: boolean }

function toolCallArb(ctx: FuzzContext): fc.Arbitrary<ToolCallSpec> {
  return fc.tuple(toolCallIds, toolNames, argumentsArb(ctx), fc.boolean(), fc.nat(3)).chain(([id, tool, args, useParameters, shape]) =>
    encodeArguments(args.value).map((encoded) => {
      const argKey = useParameters ? 'parameters' : 'arguments';
      const fn = { name: tool.name, [argKey]: encoded.value };
      const entry: Record<string, unknown> =
        shape === 0 ? { id, type: 'function', function: fn }
          : shape === 1 ? { id, type: 'function', name: tool.name, [argKey]: encoded.value }
            : shape === 2 ? { id, type: 'function', function: { name: tool.name }, [argKey]: encoded.value }
              : { id, function: fn };
      return { entry, mayBook: tool.book && encoded.readable && !args.invalid, phoneGiven: args.phoneGiven };
    }),
  );
}

interface Routing { call: Record<string, unknown>; assistant?: unknown; routed: boolean; callerIdValid: boolean }

function routingArb(ctx: FuzzContext): fc.Arbitrary<Routing> {
  const callId = fc.oneof(fc.constant(null).map(() => `fz-call-${(nextId += 1)}`), fc.constantFrom<unknown>(undefined, '', 12, {}, 'x'.repeat(300)));
  const customer = fc.oneof(
    fc.constant({ value: undefined as unknown, valid: false }),
    fc.constantFrom('+15554443333', '+1 212 555 0100').map((n) => ({ value: { number: n } as unknown, valid: true })),
    fc.constantFrom<unknown>({ number: 'anonymous' }, { number: '' }, { number: 123 }, 'junk', null, []).map((v) => ({ value: v, valid: false })),
  );
  const route = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ call: { assistantId: ctx.assistantId }, assistant: undefined as unknown, routed: true }) },
    { weight: 1, arbitrary: fc.constant({ call: {}, assistant: { id: ctx.assistantId } as unknown, routed: true }) },
    { weight: 1, arbitrary: fc.constant({ call: { phoneNumberId: ctx.phoneNumberId }, assistant: undefined as unknown, routed: true }) },
    { weight: 1, arbitrary: fc.oneof(anyText, anyJson).map((junk) => ({ call: { assistantId: junk, orgId: ctx.decoyOrgId }, assistant: undefined as unknown, routed: false })) },
    { weight: 1, arbitrary: fc.constant({ call: { assistantId: ctx.decoyOrgId }, assistant: { id: ctx.decoyOrgId } as unknown, routed: false }) },
  );
  return fc.tuple(callId, customer, route).map(([id, cust, r]) => ({
    call: { id, ...r.call, ...(cust.value === undefined ? {} : { customer: cust.value }) },
    ...(r.assistant === undefined ? {} : { assistant: r.assistant }),
    routed: r.routed,
    callerIdValid: cust.valid,
  }));
}

/** A call books only if routed and its phone is given or the caller id can stand in. */
const verdict = (spec: ToolCallSpec, routing: Routing): boolean =>
  spec.mayBook && routing.routed && (spec.phoneGiven || routing.callerIdValid);

function toolCallsCase(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc.tuple(routingArb(ctx), fc.array(toolCallArb(ctx), { minLength: 1, maxLength: 3 }), fc.constantFrom('toolCallList', 'toolWithToolCallList', 'toolCalls')).map(
    ([routing, calls, list]) => {
      const entries = list === 'toolWithToolCallList'
        ? calls.map((c) => ({ type: 'function', function: { name: (c.entry['function'] as { name?: unknown } | undefined)?.name ?? c.entry['name'] }, toolCall: c.entry }))
        : calls.map((c) => c.entry);
      const message = { type: 'tool-calls', timestamp: Date.now(), [list]: entries, call: routing.call, ...(routing.assistant === undefined ? {} : { assistant: routing.assistant }) };
      return { kind: `tool-calls/${list}`, body: JSON.stringify({ message }), mayBook: calls.map((c) => verdict(c, routing)) };
    },
  );
}

function functionCallCase(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc.tuple(routingArb(ctx), toolNames, argumentsArb(ctx)).chain(([routing, tool, args]) =>
    encodeArguments(args.value).map((encoded) => {
      const message = { type: 'function-call', functionCall: { name: tool.name, parameters: encoded.value }, call: routing.call, ...(routing.assistant === undefined ? {} : { assistant: routing.assistant }) };
      const spec: ToolCallSpec = { entry: {}, mayBook: tool.book && encoded.readable && !args.invalid, phoneGiven: args.phoneGiven };
      return { kind: 'function-call', body: JSON.stringify({ message }), mayBook: [verdict(spec, routing)] };
    }),
  );
}

function directCase(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const org = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ value: ctx.orgId as unknown, routed: true, answered: true }) },
    { weight: 1, arbitrary: fc.constant({ value: '00000000-0000-4000-8000-000000000000' as unknown, routed: false, answered: true }) },
    { weight: 1, arbitrary: fc.oneof(anyText, anyJson).filter((v) => typeof v !== 'string' || !/^[0-9a-f-]{36}$/i.test(v)).map((v) => ({ value: v, routed: false, answered: false })) },
  );
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ value: undefined as unknown, answered: true }) },
    { weight: 2, arbitrary: fc.constant(null).map(() => ({ value: `fz-key-${(nextId += 1)}` as unknown, answered: true })) },
    { weight: 1, arbitrary: fc.constant({ value: 'k'.repeat(201) as unknown, answered: false }) },
  );
  // Mostly its own credential; sometimes the Vapi secret, which must never book for a named org.
  const credential = fc.oneof({ weight: 4, arbitrary: fc.constant('direct' as const) }, { weight: 1, arbitrary: fc.constant('vapi' as const) });
  return fc.tuple(org, key, toolNames, argumentsArb(ctx), toolCallIds, credential).chain(([o, k, tool, args, id, cred]) =>
    encodeArguments(args.value).map((encoded) => {
      const body = { toolCallId: id, tool: { name: tool.name, arguments: encoded.value }, orgId: o.value, ...(k.value === undefined ? {} : { idempotencyKey: k.value }) };
      const answered = o.answered && k.answered;
      // The plain direct shape names no tool: without a usable name it is the booking tool.
      const books = tool.book || typeof tool.name !== 'string' || tool.name === '';
      // A direct caller has no caller id to fall back on.
      const mayBook = books && encoded.readable && !args.invalid && o.routed && args.phoneGiven;
      if (cred === 'vapi') return { kind: 'direct with the Vapi secret', body: JSON.stringify(body), mayBook: [], credential: cred, unauthorized: answered };
      return { kind: 'direct', body: JSON.stringify(body), mayBook: answered ? [mayBook] : [], credential: cred };
    }),
  );
}

function malformedCase(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const none = (kind: string) => (body: string | Uint8Array): FuzzCase => ({ kind, body, mayBook: [] });
  return fc.oneof(
    anyJson.map((v) => none('any JSON')(JSON.stringify(v))),
    anyJson.map((v) => none('message: any JSON')(JSON.stringify({ message: v }))),
    fc.tuple(anyText, anyJson).map(([type, v]) => none('message of another type')(JSON.stringify({ message: { type, toolCallList: v } }))),
    fc.constantFrom('status-update', 'end-of-call-report', 'transcript', 'hang', 'assistant-request').map((type) => none('ignored type')(JSON.stringify({ message: { type, call: { assistantId: ctx.assistantId } } }))),
    fc.oneof(anyJson.filter((v) => !Array.isArray(v)), fc.constant(null)).map((v) => none('tool-calls without a list')(JSON.stringify({ message: { type: 'tool-calls', toolCallList: v, call: { assistantId: ctx.assistantId } } }))),
    fc.array(anyJson, { minLength: 1, maxLength: 3 }).map((list) => ({
      kind: 'tool-calls of junk entries',
      body: JSON.stringify({ message: { type: 'tool-calls', toolCallList: list, call: { assistantId: ctx.assistantId } } }),
      mayBook: list.map(() => false),
    })),
    fc.string({ maxLength: 200 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }).map(none('not JSON')),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => none('random bytes')(Uint8Array.from([0x7b, 0xff, ...bytes]))),
    deepNesting.map((v) => none('deeply nested')(JSON.stringify({ message: { type: 'tool-calls', toolCallList: [{ id: 'deep', function: { name: 'bookClinicAppointment', arguments: { name: v } } }], call: { assistantId: ctx.assistantId } } }))),
    hugeText.map((s) => none('huge')(JSON.stringify({ message: { type: 'tool-calls', toolCallList: [{ id: 'huge', function: { name: 'bookClinicAppointment', arguments: { name: s, junk: s.repeat(3) } } }], call: { assistantId: ctx.assistantId } } }))),
  );
}

export function fuzzCaseArb(ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 10, arbitrary: toolCallsCase(ctx) },
    { weight: 2, arbitrary: functionCallCase(ctx) },
    { weight: 2, arbitrary: directCase(ctx) },
    { weight: 3, arbitrary: malformedCase(ctx) },
  );
}
