// The one-line answers the assistant reads out. en-US wording, clinic time zone, no personal
// data (names, phones and e-mails never appear here).
//
// Year policy: a slot is said without its year, unless the booking's date was corrected
// (then the caller must hear exactly which day was booked) or, when `now` is passed, the slot
// is not in the clinic's current year.
import {
  clinicToday, isoWeekday, repeatedWallTime, type CalendarDay, type DateCorrection, type DateNote, type Question,
} from './dates.ts';
import type { BookingErrorCode } from './codes.ts';

const MAX_ALTERNATIVES = 3;
const MAX_AVAILABILITY_SLOTS = 5;

export interface SlotFormatOptions {
  /** Always say the year. */
  withYear?: boolean;
  /** Say the year when the slot is not in the clinic's year at this instant. */
  now?: Date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h12',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface SlotParts {
  weekday: string;
  month: string;
  day: string;
  year: string;
  time: string;
}

function zoneAbbreviation(start: Date, timeZone: string): string | undefined {
  // en-US knows EDT/EST, en-GB knows BST/GMT; a numeric "GMT+1" is not worth saying.
  for (const locale of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(start).find((p) => p.type === 'timeZoneName')?.value;
    if (name !== undefined && /^[A-Z]{2,5}$/.test(name)) return name;
  }
  return undefined;
}

/**
 * On the night the clocks go back, 1:30 happens twice: the spoken time says which one it is
 * ("1:30 AM EDT" / "1:30 AM EST"), so what is spoken is always the stored instant.
 */
function repeatedHourLabel(start: Date, timeZone: string): string {
  const which = repeatedWallTime(start, timeZone);
  if (which === null) return '';
  const abbreviation = zoneAbbreviation(start, timeZone);
  if (abbreviation !== undefined) return ` ${abbreviation}`;
  return which === 'first' ? ' (the first one, before the clocks go back)' : ' (the second one, after the clocks go back)';
}

// Built from parts rather than format(): ICU versions differ in the separators they emit
// (e.g. a narrow no-break space before "AM"), and the answer must be stable plain text.
function slotParts(start: Date, timeZone: string): SlotParts {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of formatter(timeZone).formatToParts(start)) parts[part.type] = part.value;
  return {
    weekday: parts.weekday ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    year: parts.year ?? '',
    time: `${parts.hour ?? ''}:${parts.minute ?? ''} ${(parts.dayPeriod ?? '').toUpperCase()}${repeatedHourLabel(start, timeZone)}`,
  };
}

function wantsYear(start: Date, timeZone: string, options: SlotFormatOptions): boolean {
  if (options.withYear) return true;
  if (!options.now) return false;
  return String(clinicToday(options.now, timeZone).year) !== slotParts(start, timeZone).year;
}

function dayLabel(p: SlotParts, withYear: boolean): string {
  return `${p.weekday}, ${p.month} ${p.day}${withYear ? `, ${p.year}` : ''}`;
}

/** "Tuesday, June 2 at 11:00 AM" (or "Tuesday, June 2, 2027 at 11:00 AM"). */
export function formatSlot(start: Date, timeZone: string, options: SlotFormatOptions = {}): string {
  const p = slotParts(start, timeZone);
  return `${dayLabel(p, wantsYear(start, timeZone, options))} at ${p.time}`;
}

/** "11:00 AM" in the clinic's zone. */
export function formatTime(start: Date, timeZone: string): string {
  return slotParts(start, timeZone).time;
}

/** "Tuesday, June 2" for a calendar day (no time zone involved). */
export function formatDay(day: CalendarDay, options: { withYear?: boolean } = {}): string {
  const noonUtc = new Date(Date.UTC(2000, 0, 1, 12));
  noonUtc.setUTCFullYear(day.year, day.month - 1, day.day);
  return dayLabel(slotParts(noonUtc, 'UTC'), options.withYear ?? false);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "a", "a or b", "a, b, or c". */
function joinOr(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' or ');
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1] ?? ''}`;
}

/** Consecutive slots on one day share the day: "Tuesday, June 2 at 11:30 AM or 12:00 PM". */
function speakSlots(slots: readonly Date[], timeZone: string, now: Date | undefined): string {
  const groups: { label: string; times: string[] }[] = [];
  for (const slot of slots) {
    const p = slotParts(slot, timeZone);
    const label = dayLabel(p, wantsYear(slot, timeZone, { now }));
    const last = groups[groups.length - 1];
    if (last && last.label === label) last.times.push(p.time);
    else groups.push({ label, times: [p.time] });
  }
  const spoken = groups.map((g) => `${g.label} at ${joinOr(g.times)}`);
  if (spoken.length <= 1) return spoken.join('');
  return `${spoken.slice(0, -1).join(', ')}, or ${spoken[spoken.length - 1] ?? ''}`;
}

function offerAlternatives(
  opening: string,
  alternatives: readonly Date[],
  timeZone: string,
  now: Date | undefined,
): string {
  const offered = [...alternatives].sort((a, b) => a.getTime() - b.getTime()).slice(0, MAX_ALTERNATIVES);
  if (offered.length === 0) return oneLine(`${opening} What other day or time would suit you?`);
  const intro = offered.length === 1 ? 'The nearest free time is' : 'The nearest free times are';
  const question = offered.length === 1 ? 'Would that work?' : 'Which would you like?';
  return oneLine(`${opening} ${intro} ${speakSlots(offered, timeZone, now)}. ${question}`);
}

const BOOKED_OPENING = "You're booked for ";
const CORRECTED_OPENING = "I've booked ";
export const SLOT_TAKEN_OPENING = 'That time is already taken.';
export const OUTSIDE_HOURS_OPENING = "That's outside our opening hours.";

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A bookedMessage line, for the scripts and tests that read answers back. */
export const BOOKED_ANSWER = new RegExp(`^(?:${literal(BOOKED_OPENING)}|${literal(CORRECTED_OPENING)})`);

export function isBookedAnswer(text: string | undefined): boolean {
  return text !== undefined && BOOKED_ANSWER.test(text);
}

export function bookedMessage(
  start: Date,
  timeZone: string,
  options: { correction?: DateCorrection; now?: Date; note?: DateNote } = {},
): string {
  const correction = options.correction ?? 'none';
  if (correction === 'none') {
    const note = options.note?.kind === 'next_week'
      ? ` That's ${WEEKDAY_NAMES[isoWeekday(options.note.skipped) - 1] ?? ''} next week, not ${formatDay(options.note.skipped)}.`
      : '';
    return oneLine(`${BOOKED_OPENING}${formatSlot(start, timeZone, { now: options.now })}.${note}`);
  }
  const p = slotParts(start, timeZone);
  return oneLine(
    `${CORRECTED_OPENING}${formatSlot(start, timeZone, { withYear: true })}, the next upcoming ${p.month} ${p.day}.`,
  );
}

export function slotTakenMessage(alternatives: readonly Date[], timeZone: string, now?: Date): string {
  return offerAlternatives(SLOT_TAKEN_OPENING, alternatives, timeZone, now);
}

export function outsideHoursMessage(alternatives: readonly Date[], timeZone: string, now?: Date): string {
  return offerAlternatives(OUTSIDE_HOURS_OPENING, alternatives, timeZone, now);
}

export function availabilityMessage(
  day: CalendarDay,
  slots: readonly Date[],
  timeZone: string,
  options: { now?: Date } = {},
): string {
  const withYear = options.now !== undefined && clinicToday(options.now, timeZone).year !== day.year;
  const label = formatDay(day, { withYear });
  if (slots.length === 0) return oneLine(`I have no free times on ${label}. Would another day work?`);
  const sorted = [...slots].sort((a, b) => a.getTime() - b.getTime());
  const times = sorted.slice(0, MAX_AVAILABILITY_SLOTS).map((slot) => formatTime(slot, timeZone));
  const more = sorted.length > MAX_AVAILABILITY_SLOTS ? ', and later times too' : '';
  return oneLine(`On ${label} I have ${joinOr(times)} free${more}. Which would you like?`);
}

/** The retry line: a bounded wait ran out; trying the same thing again is safe. */
const TRY_AGAIN_LINE = 'The schedule is busy this very moment. Shall I try that time again?';

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

function weekdayName(day: CalendarDay | number): string {
  return WEEKDAY_NAMES[(typeof day === 'number' ? day : isoWeekday(day)) - 1] ?? '';
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function monthDay(day: CalendarDay): string {
  return `${MONTH_NAMES[day.month - 1] ?? ''} ${day.day}`;
}

function clockText(hour24: number, minute: number): string {
  const hour = hour24 % 12 === 0 ? 12 : hour24 % 12;
  return minute === 0 ? `${hour}` : `${hour}:${String(minute).padStart(2, '0')}`;
}

function partOfDay(hour24: number): string {
  if (hour24 < 12) return 'in the morning';
  if (hour24 < 17) return 'in the afternoon';
  return 'in the evening';
}

/** One short question the assistant can speak, for a NEEDS_CLARIFICATION outcome. */
export function clarificationMessage(question: Question): string {
  switch (question.kind) {
    case 'weekday_mismatch': {
      const { said, nearest } = question;
      return `${monthDay(said)} is a ${weekdayName(said)} — ${weekdayName(said)} the ${ordinal(said.day)} or ${weekdayName(nearest)} the ${ordinal(nearest.day)}?`;
    }
    case 'am_or_pm': {
      const time = clockText(question.hour, question.minute);
      const am = question.hour % 12;
      return `${time} ${partOfDay(am)} or ${time} ${partOfDay(am + 12)}?`;
    }
    case 'day_or_month_first':
      return `Do you mean ${monthDay(question.first)} or ${monthDay(question.second)}?`;
    case 'today_or_next_week':
      return `Do you mean today, or ${weekdayName(question.nextWeek)} next week, ${monthDay(question.nextWeek)}?`;
    case 'which_time':
      return `What time on ${formatDay(question.day)} would suit you?`;
    case 'which_day':
      return question.month === undefined
        ? 'Which day would suit you?'
        : `Which day in ${MONTH_NAMES[question.month - 1] ?? ''} would suit you?`;
    case 'no_such_day':
      return `There's no February 29 in ${question.year} — February 28 or March 1?`;
  }
}

/** BEYOND_HORIZON: name the furthest day the clinic books. */
export function beyondHorizonMessage(latestDate: CalendarDay): string {
  return `I can only book up to ${formatDay(latestDate, { withYear: true })}. Which earlier day would suit you?`;
}

/** Codes whose answer offers the nearest free times (alternatives from the database). */
const ALTERNATIVE_OPENINGS = {
  SLOT_UNAVAILABLE: SLOT_TAKEN_OPENING,
  OUTSIDE_BUSINESS_HOURS: OUTSIDE_HOURS_OPENING,
  TOO_SOON: "That's too soon for us to book.",
  CLINIC_CLOSED: 'The clinic is closed then.',
} as const satisfies Partial<Record<BookingErrorCode, string>>;
type AlternativesCode = keyof typeof ALTERNATIVE_OPENINGS;

/** Said after the opening when a reschedule was refused: nothing was moved. */
const BOOKING_STAYS = 'Your appointment stays as it was.';

const FIXED_MESSAGES: Readonly<Record<Exclude<BookingErrorCode, AlternativesCode>, string>> = {
  ORG_NOT_FOUND: "I can't book appointments on this line yet, so a member of staff will need to help with that.",
  INVALID_NAME: "I didn't catch a valid name. Could you tell me your full name?",
  INVALID_EMAIL: "That email address doesn't look right. Could you spell it out, or shall we skip it?",
  INVALID_PHONE: "I didn't catch a valid phone number. Could you say it again, with the area code?",
  INVALID_SERVICE_TYPE: "I didn't catch what the appointment is for. Which service do you need?",
  INVALID_DURATION: "I can't book an appointment of that length. How long should it be?",
  PAST_TIME: 'That time has already passed. What later time would suit you?',
  IDEMPOTENCY_KEY_REUSED:
    'I already booked that time on this call with different details, so I left it as it was. Would you like another time?',
  APPOINTMENT_INACTIVE: "That booking was cancelled, so I haven't made it again. Shall I find you a new time?",
  INVALID_IDEMPOTENCY_KEY: "I couldn't book that with the reference I was given. Could we try once more?",
  TRY_AGAIN: TRY_AGAIN_LINE,
  INVALID_DATE: "I didn't catch a valid date and time. Could you say the day and time again?",
  NEEDS_CLARIFICATION: 'Could you say the day and time once more?',
  BEYOND_HORIZON: "That's further ahead than I can book. Which earlier day would suit you?",
  INVALID_ARGUMENTS: "I couldn't read the booking details. Could you repeat them?",
  UNKNOWN_TOOL: "I can't do that from here.",
  UNAVAILABLE: "I couldn't book that right now, please try again in a moment.",
  ROUTE_MISMATCH: "I can't book appointments on this line right now, so a member of staff will need to help with that.",
  TOO_MANY_TOOL_CALLS: 'I can only handle a few requests at once. Could we take them one at a time?',
  DEADLINE_EXCEEDED: TRY_AGAIN_LINE,
  UNKNOWN_SERVICE: "I'm not sure we offer that here. Which service do you need?",
  PRACTITIONER_NOT_FOUND: "I couldn't find that practitioner here. Who would you like to see, or shall I book whoever is free?",
  SERVICE_NOT_OFFERED: "That practitioner doesn't offer that service. Shall I book it with whoever is free, or choose another service?",
  AMBIGUOUS_APPOINTMENT: 'You have more than one upcoming appointment. Which day is the one you mean?',
  APPOINTMENT_NOT_FOUND:
    "I can't find an upcoming appointment for those details. Could you check the phone number, or the name it was booked under?",
  NAME_REQUIRED: 'To look up a booking under another number, I need the full name it was booked under. What is it?',
};

export interface ErrorMessageOptions {
  alternatives?: readonly Date[];
  timeZone?: string;
  now?: Date;
  latestDate?: CalendarDay;
  /** UNKNOWN_SERVICE: the clinic's services, offered instead. */
  services?: readonly string[];
  /** PRACTITIONER_NOT_FOUND: the clinic's practitioners, offered instead. */
  practitioners?: readonly string[];
  /** AMBIGUOUS_APPOINTMENT: the caller's own appointments to choose from. */
  appointments?: readonly { start: Date }[];
  /** A refused reschedule: say the old booking stays. */
  keepsBooking?: boolean;
}

/** The spoken answer for any failure code; alternatives and lists are offered where they help. */
export function errorMessage(code: BookingErrorCode, options: ErrorMessageOptions = {}): string {
  if (code === 'BEYOND_HORIZON' && options.latestDate) {
    return withBookingKept(beyondHorizonMessage(options.latestDate), options.keepsBooking);
  }
  const timeZone = options.timeZone ?? 'UTC';
  if (Object.hasOwn(ALTERNATIVE_OPENINGS, code)) {
    const opening = ALTERNATIVE_OPENINGS[code as AlternativesCode];
    const alternatives = options.timeZone === undefined ? [] : (options.alternatives ?? []);
    return offerAlternatives(options.keepsBooking ? `${opening} ${BOOKING_STAYS}` : opening, alternatives, timeZone, options.now);
  }
  const fixed = FIXED_MESSAGES[code as Exclude<BookingErrorCode, AlternativesCode>];
  if (code === 'UNKNOWN_SERVICE' && options.services?.length) {
    return oneLine(`I'm not sure we offer that here. We offer ${joinOr(options.services)}. Which would you like?`);
  }
  if (code === 'PRACTITIONER_NOT_FOUND' && options.practitioners?.length) {
    return oneLine(`I couldn't find that practitioner here. You can see ${joinOr(options.practitioners)}, or whoever is free. Who would you like?`);
  }
  // A reschedule of an appointment already moved (or cancelled): nothing changed, and the caller
  // must not be told their booking is gone — a concurrent or earlier move of it may be the one
  // that stands. The booking wording ("…was cancelled…") would invite a second booking.
  if (code === 'APPOINTMENT_INACTIVE' && options.keepsBooking) {
    return "That appointment was already moved or cancelled, so I didn't change anything. Shall I look up your current booking?";
  }
  if (code === 'AMBIGUOUS_APPOINTMENT' && options.appointments?.length) {
    return appointmentChoiceMessage(options.appointments, timeZone, options.now);
  }
  return withBookingKept(fixed, options.keepsBooking && REFUSALS_OF_THE_NEW_TIME.has(code));
}

// Refusals of the new time (not of who is asking): a reschedule says the old booking stays.
const REFUSALS_OF_THE_NEW_TIME: ReadonlySet<BookingErrorCode> = new Set<BookingErrorCode>([
  'PAST_TIME', 'BEYOND_HORIZON', 'INVALID_DATE', 'PRACTITIONER_NOT_FOUND', 'TRY_AGAIN',
]);

function withBookingKept(text: string, keeps: boolean | undefined): string {
  return keeps ? oneLine(`${BOOKING_STAYS} ${text}`) : text;
}

/** "a cleaning" / "an assessment": the service as stored (normalized, lowercase). */
function withArticle(service: string): string {
  return `${/^[aeiou]/i.test(service) ? 'an' : 'a'} ${service}`;
}

/** "a cleaning on Tuesday, June 2 at 11:00 AM with Dr. Lee": never a patient's name. */
function describeAppointment(a: AppointmentLine, timeZone: string, now: Date | undefined): string {
  const withWhom = a.practitioner ? ` with ${a.practitioner}` : '';
  return `${withArticle(a.serviceType)} on ${formatSlot(a.start, timeZone, { now })}${withWhom}`;
}

export interface AppointmentLine {
  start: Date;
  serviceType: string;
  practitioner: string | null;
}

const MAX_SPOKEN_APPOINTMENTS = 3;

/** findAppointment: one line for one appointment or several (soonest first). */
export function foundMessage(appointments: readonly AppointmentLine[], timeZone: string, now?: Date): string {
  const sorted = [...appointments].sort((a, b) => a.start.getTime() - b.start.getTime());
  if (sorted.length === 0) return FIXED_MESSAGES.APPOINTMENT_NOT_FOUND;
  const spoken = sorted.slice(0, MAX_SPOKEN_APPOINTMENTS).map((a) => describeAppointment(a, timeZone, now));
  if (spoken.length === 1) return oneLine(`You have ${spoken[0] ?? ''}.`);
  const more = sorted.length > MAX_SPOKEN_APPOINTMENTS ? `, and ${sorted.length - MAX_SPOKEN_APPOINTMENTS} more after that` : '';
  const list = `${spoken.slice(0, -1).join(', ')}, and ${spoken[spoken.length - 1] ?? ''}`;
  return oneLine(`You have ${sorted.length} upcoming appointments: ${list}${more}.`);
}

/** AMBIGUOUS_APPOINTMENT: the caller's own appointments, by day and time only. */
export function appointmentChoiceMessage(appointments: readonly { start: Date }[], timeZone: string, now?: Date): string {
  const sorted = [...appointments].sort((a, b) => a.start.getTime() - b.start.getTime()).slice(0, MAX_SPOKEN_APPOINTMENTS);
  const times = sorted.map((a) => formatSlot(a.start, timeZone, { now }));
  const list = times.length <= 2 ? times.join(' and ') : `${times.slice(0, -1).join(', ')}, and ${times[times.length - 1] ?? ''}`;
  return oneLine(`You have appointments on ${list}. Which one do you mean?`);
}

export function cancelledMessage(start: Date, timeZone: string, now?: Date): string {
  return oneLine(`Your appointment on ${formatSlot(start, timeZone, { now })} is cancelled.`);
}

export const RESCHEDULED_OPENING = 'Done: your appointment is moved to ';

/** rescheduleAppointment: the new stored instant, said like a booking (notes and corrections too). */
export function rescheduledMessage(
  start: Date,
  timeZone: string,
  options: { correction?: DateCorrection; now?: Date; note?: DateNote } = {},
): string {
  const booked = bookedMessage(start, timeZone, options);
  // bookedMessage's wording after its opening: the slot, and any note or correction.
  const rest = booked.startsWith(BOOKED_OPENING) ? booked.slice(BOOKED_OPENING.length) : booked.slice(CORRECTED_OPENING.length);
  return oneLine(`${RESCHEDULED_OPENING}${rest}`);
}

/** "Which practitioner?" when a spoken name fits two of them ("Dr. Lee"). */
export function whichPractitionerMessage(names: readonly string[]): string {
  return oneLine(`Do you mean ${joinOr(names)}?`);
}
