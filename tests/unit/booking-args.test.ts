import { describe, expect, it } from 'vitest';
import {
  AVAILABILITY_TOOL_NAME,
  BOOK_TOOL_NAME,
  availabilityArgumentsSchema,
  bookingArgumentsSchema,
  parseAvailabilityArguments,
  parseBookingArguments,
} from '../../supabase/functions/_shared/booking-args.ts';
import { codeForField, isBookingErrorCode } from '../../supabase/functions/_shared/codes.ts';

const BASE = { name: "jOHN o'brien", phone: '(555) 444-3333', serviceType: 'cleaning', date: 'June 2', time: '11am' };

describe('tool names', () => {
  it('are the names the assistant is configured with', () => {
    expect(BOOK_TOOL_NAME).toBe('bookClinicAppointment');
    expect(AVAILABILITY_TOOL_NAME).toBe('checkAvailability');
  });
});

describe('parseBookingArguments', () => {
  it('accepts the usual arguments and normalizes name and email', () => {
    expect(parseBookingArguments({ ...BASE, email: ' Jane@Example.COM ' })).toEqual({
      ok: true,
      value: {
        name: "John O'Brien",
        phone: '(555) 444-3333',
        email: 'jane@example.com',
        serviceType: 'cleaning',
        date: 'June 2',
        time: '11am',
      },
    });
  });

  it('accepts scheduledAt instead of date', () => {
    const { date: _d, time: _t, ...rest } = BASE;
    const result = parseBookingArguments({ ...rest, scheduledAt: '2026-06-02T11:00:00' });
    expect(result.ok && result.value.scheduledAt).toBe('2026-06-02T11:00:00');
  });

  it('folds snake_case and short aliases', () => {
    const result = parseBookingArguments({
      full_name: 'jane doe',
      phone_number: 5554443333,
      email_address: 'j@x.io',
      service_type: 'checkup',
      scheduled_at: '2026-06-02 11:00',
      duration_minutes: '45',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Jane Doe',
        phone: '5554443333',
        email: 'j@x.io',
        serviceType: 'checkup',
        scheduledAt: '2026-06-02 11:00',
        durationMinutes: 45,
      },
    });
    expect(parseBookingArguments({ ...BASE, serviceType: undefined, service: 'x-ray' })).toMatchObject({
      ok: true,
      value: { serviceType: 'x-ray' },
    });
  });

  it('lets the canonical key win over an alias', () => {
    const result = parseBookingArguments({ ...BASE, service: 'other' });
    expect(result.ok && result.value.serviceType).toBe('cleaning');
  });

  it('treats phone and email as optional, empty or null as not given', () => {
    const { phone: _p, ...noPhone } = BASE;
    expect(parseBookingArguments(noPhone)).toMatchObject({ ok: true });
    const result = parseBookingArguments({ ...BASE, phone: '', email: null });
    expect(result.ok && result.value.phone).toBeUndefined();
    expect(result.ok && result.value.email).toBeUndefined();
    const blank = parseBookingArguments({ ...BASE, email: '   ' });
    expect(blank.ok && blank.value.email).toBeUndefined();
  });

  it.each([
    [30, 30],
    ['30', 30],
    [' 45 ', 45],
    ['60 minutes', 60],
    ['15 min', 15],
    [5, 5],
    [480, 480],
  ])('accepts durationMinutes %j', (durationMinutes, expected) => {
    const result = parseBookingArguments({ ...BASE, durationMinutes });
    expect(result.ok && result.value.durationMinutes).toBe(expected);
  });

  it.each([[4], [481], [30.5], ['thirty'], ['30.5'], ['-30'], [true], [{}]])('rejects durationMinutes %j', (durationMinutes) => {
    expect(parseBookingArguments({ ...BASE, durationMinutes })).toEqual({ ok: false, field: 'durationMinutes' });
  });

  it.each([
    [{ ...BASE, name: undefined }, 'name'],
    [{ ...BASE, name: '   ' }, 'name'],
    [{ ...BASE, name: '12345' }, 'name'],
    [{ ...BASE, name: 42 }, 'name'],
    [{ ...BASE, name: 'x'.repeat(101) }, 'name'],
    [{ ...BASE, phone: { number: '1' } }, 'phone'],
    [{ ...BASE, phone: '5'.repeat(41) }, 'phone'],
    [{ ...BASE, email: 'not-an-email' }, 'email'],
    [{ ...BASE, email: 7 }, 'email'],
    [{ ...BASE, serviceType: undefined }, 'serviceType'],
    [{ ...BASE, serviceType: '  ' }, 'serviceType'],
    [{ ...BASE, serviceType: 'x'.repeat(65) }, 'serviceType'],
    [{ ...BASE, serviceType: 'clean\u0007ing' }, 'serviceType'],
    [{ ...BASE, date: undefined }, 'date'],
    [{ ...BASE, date: [] }, 'date'],
    [{ ...BASE, time: {} }, 'date'],
    [{ ...BASE, date: undefined, scheduledAt: {} }, 'date'],
  ])('reports the failing field for %j', (args, field) => {
    expect(parseBookingArguments(args)).toEqual({ ok: false, field });
  });

  it('reports one field, in the order the assistant should ask', () => {
    expect(parseBookingArguments({ serviceType: 7 })).toEqual({ ok: false, field: 'name' });
    expect(parseBookingArguments({ name: 'Ann', email: 'bad', durationMinutes: 1 })).toEqual({ ok: false, field: 'email' });
    expect(parseBookingArguments({ name: 'Ann', serviceType: 'x', durationMinutes: 1 })).toEqual({ ok: false, field: 'date' });
    expect(parseBookingArguments({ name: 'Ann', serviceType: 'x', date: 'June 2', durationMinutes: 1 })).toEqual({
      ok: false,
      field: 'durationMinutes',
    });
  });

  it.each([[null], [undefined], ['{"name":"x"}'], [[BASE]], [5]])('reports arguments for %j', (args) => {
    expect(parseBookingArguments(args)).toEqual({ ok: false, field: 'arguments' });
  });

  it('exports the schema itself for reuse', () => {
    expect(bookingArgumentsSchema.safeParse(BASE).success).toBe(true);
  });
});

describe('parseAvailabilityArguments', () => {
  it('needs only a date', () => {
    expect(parseAvailabilityArguments({ date: 'June 2' })).toEqual({ ok: true, value: { date: 'June 2' } });
    expect(availabilityArgumentsSchema.safeParse({ day: 'tomorrow' }).success).toBe(true);
  });

  it('accepts duration and service aliases', () => {
    expect(parseAvailabilityArguments({ date: 'June 2', duration: '30', service_type: 'cleaning' })).toEqual({
      ok: true,
      value: { date: 'June 2', durationMinutes: 30, serviceType: 'cleaning' },
    });
  });

  it.each([
    [{}, 'date'],
    [{ date: '' }, 'date'],
    [{ date: 'June 2', durationMinutes: 1000 }, 'durationMinutes'],
    [{ date: 'June 2', serviceType: 5 }, 'serviceType'],
  ])('reports the failing field for %j', (args, field) => {
    expect(parseAvailabilityArguments(args)).toEqual({ ok: false, field });
  });

  it('treats an empty serviceType as not given', () => {
    expect(parseAvailabilityArguments({ date: 'June 2', serviceType: '' })).toEqual({ ok: true, value: { date: 'June 2' } });
  });

  it('reports arguments when they are not an object', () => {
    expect(parseAvailabilityArguments(null)).toEqual({ ok: false, field: 'arguments' });
  });
});

describe('codes', () => {
  it('maps every failing field to the code the assistant is told', () => {
    expect(codeForField('name')).toBe('INVALID_NAME');
    expect(codeForField('phone')).toBe('INVALID_PHONE');
    expect(codeForField('email')).toBe('INVALID_EMAIL');
    expect(codeForField('serviceType')).toBe('INVALID_SERVICE_TYPE');
    expect(codeForField('date')).toBe('INVALID_DATE');
    expect(codeForField('durationMinutes')).toBe('INVALID_DURATION');
    expect(codeForField('arguments')).toBe('INVALID_ARGUMENTS');
  });

  it('recognizes database and edge codes only', () => {
    expect(isBookingErrorCode('SLOT_UNAVAILABLE')).toBe(true);
    expect(isBookingErrorCode('UNAVAILABLE')).toBe(true);
    expect(isBookingErrorCode('slot_unavailable')).toBe(false);
    expect(isBookingErrorCode('P0001')).toBe(false);
    expect(isBookingErrorCode(undefined)).toBe(false);
  });
});
