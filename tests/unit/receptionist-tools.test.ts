// find / cancel / reschedule and the practitioner- and service-aware booking, through the HTTP
// handler with a fake database and a pinned clock: what each tool sends (ONE RPC, the caller's
// identity, the day and the new instant), what the caller hears (one line, no one else's name),
// what is asked back instead of guessed, and the idempotency keys of retries.
import { describe, expect, it } from 'vitest';
import { createVapiHandler } from '../../supabase/functions/_shared/handler.ts';
import type {
  BookingDatabase, BookingRequest, CancelRequest, CallerIdentity, OrgContext, RescheduleRequest,
} from '../../supabase/functions/_shared/booking-db.ts';
import type { LogLine } from '../../supabase/functions/_shared/log.ts';

const NOW = new Date('2026-03-02T15:00:00Z'); // Monday, March 2, 10:00 in New York
const CALLER_ID = '+15554443333';
const LEE = { id: 'p-lee', name: 'Dr. Anna Lee' };
const PARK = { id: 'p-park', name: 'Dr. Ben Park' };
const LEE_TWO = { id: 'p-lee2', name: 'Dr. Carl Lee' };
const ORG: OrgContext = {
  orgId: 'org-ny', timeZone: 'America/New_York', defaultCountry: 'US', defaultDurationMinutes: 30, horizonDays: 90,
  businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '08:00', closesAt: '18:00' })),
  practitioners: [LEE, PARK],
  services: [
    { name: 'assessment', aliases: [], durationMinutes: 45 },
    { name: 'sports massage', aliases: ['deep tissue massage', 'massage'], durationMinutes: 60 },
  ],
};
const TUESDAY_11 = new Date('2026-03-03T16:00:00Z');
const FRIDAY_9 = new Date('2026-03-06T14:00:00Z');

interface Calls {
  finds: Array<{ orgId: string; caller: CallerIdentity }>;
  cancels: CancelRequest[];
  moves: RescheduleRequest[];
  books: BookingRequest[];
}

function harness(db: Partial<BookingDatabase> = {}, org: OrgContext = ORG) {
  const calls: Calls = { finds: [], cancels: [], moves: [], books: [] };
  const logs: LogLine[] = [];
  const full: BookingDatabase = {
    resolveOrg: async () => org,
    checkAvailability: async () => ({ success: true, slots: [] }),
    book: async (request) => ({ success: true, appointmentId: 'a-new', contactId: 'l', start: request.start, end: request.start, replayed: false }),
    findAppointments: async () => ({ success: true, appointments: [] }),
    cancelAppointment: async () => ({ success: true, appointmentId: 'a-1', start: TUESDAY_11, replayed: false }),
    rescheduleAppointment: async (request) => ({ success: true, appointmentId: 'a-2', start: request.newStart, end: undefined, replayed: false }),
    ...db,
  };
  const recorded: BookingDatabase = {
    ...full,
    findAppointments: (orgId, caller, o) => { calls.finds.push({ orgId, caller }); return full.findAppointments(orgId, caller, o); },
    cancelAppointment: (request, o) => { calls.cancels.push(request); return full.cancelAppointment(request, o); },
    rescheduleAppointment: (request, o) => { calls.moves.push(request); return full.rescheduleAppointment(request, o); },
    book: (request, o) => { calls.books.push(request); return full.book(request, o); },
  };
  const handle = createVapiHandler({
    auth: { checkHeaders: async () => 'vapi', checkSignature: async () => false },
    db: recorded,
    resolveOrg: async () => org,
    now: () => NOW,
    log: (line) => logs.push(line),
    maxBodyBytes: 8192,
  });
  const ask = async (name: string, args: Record<string, unknown>, call: Record<string, unknown> = {}): Promise<string> => {
    const response = await handle(new Request('http://local/', {
      method: 'POST',
      body: JSON.stringify({ message: { type: 'tool-calls', call: { id: 'call-1', assistantId: 'a', customer: { number: CALLER_ID }, ...call },
        toolCallList: [{ id: `tc-${Math.random()}`, type: 'function', function: { name, arguments: args } }] } }),
    }));
    const body = await response.json() as { results: Array<{ result?: string; error?: string }> };
    const answer = body.results[0];
    return answer?.result ?? `ERROR: ${answer?.error ?? ''}`;
  };
  return { ask, calls, logs };
}

const oneLine = (text: string) => expect(text).not.toMatch(/[\r\n]/);

describe('findAppointment', () => {
  it('finds by the caller id alone, and speaks dates, service and practitioner in one line', async () => {
    const { ask, calls } = harness({ findAppointments: async () => ({ success: true, appointments: [
      { appointmentId: 'a2', start: FRIDAY_9, end: FRIDAY_9, serviceType: 'sports massage', practitioner: null },
      { appointmentId: 'a1', start: TUESDAY_11, end: TUESDAY_11, serviceType: 'assessment', practitioner: 'Dr. Anna Lee' },
    ] }) });
    const text = await ask('findAppointment', {});
    expect(text).toBe('You have 2 upcoming appointments: an assessment on Tuesday, March 3 at 11:00 AM with Dr. Anna Lee, and a sports massage on Friday, March 6 at 9:00 AM.');
    oneLine(text);
    expect(calls.finds).toEqual([{ orgId: 'org-ny', caller: { phone: CALLER_ID, name: undefined } }]);
  });

  it('one appointment is one sentence; none is "not found"', async () => {
    const one = harness({ findAppointments: async () => ({ success: true, appointments: [
      { appointmentId: 'a1', start: TUESDAY_11, end: TUESDAY_11, serviceType: 'cleaning', practitioner: 'Dr. Lee' },
    ] }) });
    expect(await one.ask('findAppointment', {})).toBe('You have a cleaning on Tuesday, March 3 at 11:00 AM with Dr. Lee.');
    const none = harness();
    expect(await none.ask('findAppointment', {})).toMatch(/^I can't find an upcoming appointment/);
    expect(none.logs.find((l) => l.event === 'tool_call')).toMatchObject({ tool: 'findAppointment', outcome: 'APPOINTMENT_NOT_FOUND' });
  });

  it('a number the caller quotes (not their caller id) needs the name, and sends it', async () => {
    const { ask, calls } = harness();
    expect(await ask('findAppointment', { phone: '(555) 010-2233' })).toMatch(/need the full name/);
    expect(calls.finds).toHaveLength(0);
    await ask('findAppointment', { phone: '(555) 010-2233', name: 'mary  SMITH' });
    expect(calls.finds).toEqual([{ orgId: 'org-ny', caller: { phone: '+15550102233', name: 'Mary Smith' } }]);
  });

  it('the caller id said aloud again is still the caller\'s own line: no name needed or sent', async () => {
    const { ask, calls } = harness();
    await ask('findAppointment', { phone: '555-444-3333', name: 'Misheard Name' });
    expect(calls.finds[0]?.caller).toEqual({ phone: CALLER_ID, name: undefined });
  });

  it('a web call (no caller id) needs a number and a name', async () => {
    const { ask, calls } = harness();
    expect(await ask('findAppointment', {}, { customer: {} })).toMatch(/valid phone number/);
    expect(await ask('findAppointment', { phone: '+15550102233' }, { customer: {} })).toMatch(/need the full name/);
    await ask('findAppointment', { phone: '+15550102233', name: 'Mary Smith' }, { customer: {} });
    expect(calls.finds).toEqual([{ orgId: 'org-ny', caller: { phone: '+15550102233', name: 'Mary Smith' } }]);
  });
});

describe('cancelAppointment', () => {
  it('cancels the only upcoming appointment (no day) and says which one', async () => {
    const { ask, calls, logs } = harness();
    expect(await ask('cancelAppointment', {})).toBe('Your appointment on Tuesday, March 3 at 11:00 AM is cancelled.');
    expect(calls.cancels).toEqual([{ orgId: 'org-ny', phone: CALLER_ID, name: undefined, day: undefined }]);
    expect(logs.find((l) => l.event === 'tool_call')).toMatchObject({ tool: 'cancelAppointment', outcome: 'CANCELLED' });
  });

  it('the day as said becomes the clinic-local p_day (dates.ts rules, pinned clock)', async () => {
    const { ask, calls } = harness();
    await ask('cancelAppointment', { date: 'Friday' });
    await ask('cancelAppointment', { date: 'the 3rd' });
    expect(calls.cancels.map((c) => c.day)).toEqual(['2026-03-06', '2026-03-03']);
  });

  it('a day that fits two readings is asked back, nothing cancelled', async () => {
    const { ask, calls } = harness();
    expect(await ask('cancelAppointment', { date: 'Monday' })).toBe('Do you mean today, or Monday next week, March 9?');
    expect(calls.cancels).toHaveLength(0);
  });

  it('several appointments and no day: the list question, with days and times only', async () => {
    const { ask } = harness({ cancelAppointment: async () => ({
      success: false, code: 'AMBIGUOUS_APPOINTMENT', alternatives: [],
      appointments: [
        { appointmentId: 'a2', start: FRIDAY_9, end: FRIDAY_9, serviceType: 'x', practitioner: 'Dr. Ben Park' },
        { appointmentId: 'a1', start: TUESDAY_11, end: TUESDAY_11, serviceType: 'x', practitioner: null },
      ],
    }) });
    expect(await ask('cancelAppointment', {})).toBe('You have appointments on Tuesday, March 3 at 11:00 AM and Friday, March 6 at 9:00 AM. Which one do you mean?');
  });

  it('a retry after the cancel committed (replayed) is answered the same way; not found is one line', async () => {
    const replayed = harness({ cancelAppointment: async () => ({ success: true, appointmentId: 'a-1', start: TUESDAY_11, replayed: true }) });
    expect(await replayed.ask('cancelAppointment', {})).toBe('Your appointment on Tuesday, March 3 at 11:00 AM is cancelled.');
    const missing = harness({ cancelAppointment: async () => ({ success: false, code: 'APPOINTMENT_NOT_FOUND', alternatives: [] }) });
    const text = await missing.ask('cancelAppointment', { phone: '+15550102233', name: 'Mary Smith' });
    expect(text).toMatch(/^I can't find an upcoming appointment/);
    expect(text).not.toMatch(/Mary|Smith/);
  });
});

describe('rescheduleAppointment', () => {
  it('moves to the new time understood in the clinic zone, and says the stored instant', async () => {
    const { ask, calls } = harness({ rescheduleAppointment: async () => ({ success: true, appointmentId: 'a-2', start: new Date('2026-03-10T19:30:00Z'), end: undefined, replayed: false }) });
    const text = await ask('rescheduleAppointment', { currentDate: 'Tuesday', newDate: 'next Tuesday', newTime: 'half past three' });
    expect(text).toBe("Done: your appointment is moved to Tuesday, March 10 at 3:30 PM. That's Tuesday next week, not Tuesday, March 3.");
    expect(calls.moves[0]).toMatchObject({ orgId: 'org-ny', phone: CALLER_ID, name: undefined, day: '2026-03-03', newStart: new Date('2026-03-10T19:30:00Z') });
    expect(calls.moves[0]?.idempotencyKey).toMatch(/^vapi:[0-9a-f]{64}$/);
  });

  it('asks back an am/pm that fits the hours both ways, and a missing time; moves nothing', async () => {
    const wide = { ...ORG, businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '06:00', closesAt: '20:00' })) };
    const { ask, calls } = harness({}, wide);
    expect(await ask('rescheduleAppointment', { newDate: 'Thursday', newTime: '7' })).toBe('7 in the morning or 7 in the evening?');
    expect(await ask('rescheduleAppointment', { newDate: 'Thursday' })).toBe('What time on Thursday, March 5 would suit you?');
    expect(calls.moves).toHaveLength(0);
  });

  it('past the horizon is refused before any RPC, and the old booking is said to stay', async () => {
    const { ask, calls } = harness();
    const text = await ask('rescheduleAppointment', { newDate: 'December 1', newTime: '10am' });
    expect(text).toBe('Your appointment stays as it was. I can only book up to Sunday, May 31, 2026. Which earlier day would suit you?');
    expect(calls.moves).toHaveLength(0);
  });

  it('a taken slot: the old booking stays and the nearest free times are offered', async () => {
    const { ask } = harness({ rescheduleAppointment: async () => ({
      success: false, code: 'SLOT_UNAVAILABLE', alternatives: [new Date('2026-03-05T16:30:00Z'), new Date('2026-03-05T17:00:00Z')],
    }) });
    const text = await ask('rescheduleAppointment', { newDate: 'Thursday', newTime: '11am' });
    expect(text).toBe('That time is already taken. Your appointment stays as it was. The nearest free times are Thursday, March 5 at 11:30 AM or 12:00 PM. Which would you like?');
    oneLine(text);
  });

  it('an appointment already moved (a concurrent or earlier move won) is never said to be cancelled', async () => {
    const { ask } = harness({ rescheduleAppointment: async () => ({ success: false, code: 'APPOINTMENT_INACTIVE', alternatives: [] }) });
    const text = await ask('rescheduleAppointment', { currentDate: 'Tuesday', newDate: 'Thursday', newTime: '11am' });
    expect(text).toBe("That appointment was already moved or cancelled, so I didn't change anything. Shall I look up your current booking?");
    expect(text).not.toMatch(/was cancelled|made it again/);
  });

  it('too soon and closed are spoken with their alternatives too', async () => {
    const soon = harness({ rescheduleAppointment: async () => ({ success: false, code: 'TOO_SOON', alternatives: [new Date('2026-03-03T14:00:00Z')] }) });
    expect(await soon.ask('rescheduleAppointment', { newDate: 'today', newTime: '11am' }))
      .toBe("That's too soon for us to book. Your appointment stays as it was. The nearest free time is Tuesday, March 3 at 9:00 AM. Would that work?");
    const closed = harness({ rescheduleAppointment: async () => ({ success: false, code: 'CLINIC_CLOSED', alternatives: [] }) });
    expect(await closed.ask('rescheduleAppointment', { newDate: 'Thursday', newTime: '11am' }))
      .toBe('The clinic is closed then. Your appointment stays as it was. What other day or time would suit you?');
  });

  it('a spring-forward gap time moves forward by the gap (the one DST rule)', async () => {
    const { ask, calls } = harness({}, { ...ORG, businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '00:00', closesAt: '00:00' })) });
    // 2026-03-08 is the US spring-forward day: 2:30 AM does not exist and becomes 3:30 AM EDT.
    await ask('rescheduleAppointment', { newDate: 'March 8', newTime: '2:30am' });
    expect(calls.moves[0]?.newStart).toEqual(new Date('2026-03-08T07:30:00Z'));
  });

  it('a retry (same call, new toolCallId, later clock) sends the same key; other words or another call a different one', async () => {
    const { ask, calls } = harness();
    const args = { currentDate: 'Tuesday', newDate: 'Thursday', newTime: '11am' };
    await ask('rescheduleAppointment', args);
    await ask('rescheduleAppointment', { ...args, newTime: '11 AM ' });
    await ask('rescheduleAppointment', { ...args, newTime: '12pm' });
    await ask('rescheduleAppointment', args, { id: 'call-2' });
    const keys = calls.moves.map((m) => m.idempotencyKey);
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
  });

  it('the key never depends on the clock: the same words resolved at another "now" give the same key', async () => {
    const early = harness();
    await early.ask('rescheduleAppointment', { newDate: 'tomorrow', newTime: '11am' }, { startedAt: '2026-03-02T14:59:00Z' });
    const late = harness();
    await late.ask('rescheduleAppointment', { newDate: 'tomorrow', newTime: '11am' }, { startedAt: '2026-03-02T14:00:00Z' });
    expect(early.calls.moves[0]?.idempotencyKey).toBe(late.calls.moves[0]?.idempotencyKey);
  });

  it('the list question when the caller has several and did not say which', async () => {
    const { ask } = harness({ rescheduleAppointment: async () => ({ success: false, code: 'AMBIGUOUS_APPOINTMENT', alternatives: [],
      appointments: [{ appointmentId: 'a1', start: TUESDAY_11, end: TUESDAY_11, serviceType: 'x', practitioner: null },
        { appointmentId: 'a2', start: FRIDAY_9, end: FRIDAY_9, serviceType: 'x', practitioner: null }] }) });
    expect(await ask('rescheduleAppointment', { newDate: 'Thursday', newTime: '11am' })).toMatch(/^You have appointments on Tuesday, March 3 at 11:00 AM and Friday, March 6 at 9:00 AM\. Which one/);
  });
});

describe('bookClinicAppointment with practitioners and a service catalogue', () => {
  const book = { name: 'Ann Lee', serviceType: 'Deep-tissue massage', date: 'Thursday', time: '11am' };

  it('maps a spoken alias to the catalogue name and its length; "anyone" and absent send no practitioner', async () => {
    const { ask, calls } = harness();
    await ask('bookClinicAppointment', { ...book, serviceType: 'deep tissue massage' });
    await ask('bookClinicAppointment', { ...book, serviceType: 'a massage appointment', practitioner: 'anyone' });
    await ask('bookClinicAppointment', { ...book, serviceType: 'Assessment', practitioner: "whoever's free" });
    await ask('bookClinicAppointment', { ...book, serviceType: 'Deep-tissue massage', practitioner: 'no preference' });
    expect(calls.books.map((b) => [b.serviceType, b.durationMinutes, b.practitionerId])).toEqual([
      ['sports massage', 60, undefined], ['sports massage', 60, undefined], ['assessment', 45, undefined], ['sports massage', 60, undefined],
    ]);
  });

  it('a practitioner by full name, title-less name, first name or surname → their id', async () => {
    const { ask, calls } = harness();
    for (const practitioner of ['Dr. Anna Lee', 'anna lee', 'Anna', 'Doctor Park']) await ask('bookClinicAppointment', { ...book, serviceType: 'assessment', practitioner });
    expect(calls.books.map((b) => b.practitionerId)).toEqual(['p-lee', 'p-lee', 'p-lee', 'p-park']);
  });

  it('a name that fits two practitioners is asked back; an unknown one answered with the list; nothing booked', async () => {
    const { ask, calls } = harness({}, { ...ORG, practitioners: [LEE, PARK, LEE_TWO] });
    expect(await ask('bookClinicAppointment', { ...book, serviceType: 'assessment', practitioner: 'Dr. Lee' })).toBe('Do you mean Dr. Anna Lee or Dr. Carl Lee?');
    expect(await ask('bookClinicAppointment', { ...book, serviceType: 'assessment', practitioner: 'Dr. Who' }))
      .toBe("I couldn't find that practitioner here. You can see Dr. Anna Lee, Dr. Ben Park, or Dr. Carl Lee, or whoever is free. Who would you like?");
    expect(calls.books).toHaveLength(0);
  });

  it('a service not in the catalogue is answered with the clinic\'s services, nothing booked', async () => {
    const { ask, calls } = harness();
    expect(await ask('bookClinicAppointment', { ...book, serviceType: 'teeth whitening' }))
      .toBe("I'm not sure we offer that here. We offer assessment or sports massage. Which would you like?");
    expect(calls.books).toHaveLength(0);
  });

  it('the practitioner is part of the idempotency key (Dr. Lee at 11, then anyone at 11, are two requests)', async () => {
    const { ask, calls } = harness();
    await ask('bookClinicAppointment', { ...book, serviceType: 'assessment', practitioner: 'Anna' });
    await ask('bookClinicAppointment', { ...book, serviceType: 'assessment', practitioner: 'Dr. Anna Lee' });
    await ask('bookClinicAppointment', { ...book, serviceType: 'assessment' });
    const keys = calls.books.map((b) => b.idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('a clinic with neither behaves as before: service as said, default length, no practitioner even if one is named', async () => {
    const { ask, calls } = harness({}, { ...ORG, practitioners: [], services: [] });
    await ask('bookClinicAppointment', { ...book, practitioner: 'Dr. Lee' });
    expect(calls.books[0]).toMatchObject({ serviceType: 'deep-tissue massage', durationMinutes: 30, practitionerId: undefined });
  });

  it('the SQL\'s UNKNOWN_SERVICE (its catalogue changed meanwhile) is spoken with the list it sent', async () => {
    const { ask } = harness({ book: async () => ({ success: false, code: 'UNKNOWN_SERVICE', alternatives: [], services: ['follow-up'] }) });
    expect(await ask('bookClinicAppointment', { ...book, serviceType: 'assessment' })).toBe("I'm not sure we offer that here. We offer follow-up. Which would you like?");
  });

  it('logs one line per tool call with the outcome and nothing personal', async () => {
    const { ask, logs } = harness({ findAppointments: async () => ({ success: true, appointments: [
      { appointmentId: 'a1', start: TUESDAY_11, end: TUESDAY_11, serviceType: 'assessment', practitioner: 'Dr. Anna Lee' }] }) });
    await ask('findAppointment', { phone: '+15550102233', name: 'Mary Smith' });
    await ask('cancelAppointment', {});
    await ask('rescheduleAppointment', { newDate: 'Thursday', newTime: '11am' });
    const lines = logs.filter((l) => l.event === 'tool_call');
    expect(lines.map((l) => 'tool' in l && [l.tool, l.outcome])).toEqual([
      ['findAppointment', 'FOUND'], ['cancelAppointment', 'CANCELLED'], ['rescheduleAppointment', 'RESCHEDULED'],
    ]);
    const everything = JSON.stringify(logs);
    for (const personal of ['Mary', 'Smith', '0102233', '4443333']) expect(everything).not.toContain(personal);
  });
});
