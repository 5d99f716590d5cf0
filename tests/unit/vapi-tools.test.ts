// The committed Vapi tool definitions must describe exactly what the endpoint accepts: a model
// filling them in as documented produces arguments our zod schemas take, and what the JSON
// schema calls required is required by zod too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AVAILABILITY_TOOL_NAME, BOOK_TOOL_NAME, parseAvailabilityArguments, parseBookingArguments,
} from '../../supabase/functions/_shared/booking-args.ts';
import {
  CANCEL_TOOL_NAME, FIND_TOOL_NAME, RESCHEDULE_TOOL_NAME, parseCancelArguments, parseFindArguments, parseRescheduleArguments,
} from '../../supabase/functions/_shared/receptionist-args.ts';
import { TOOLS } from '../../supabase/functions/_shared/tools.ts';

interface JsonSchemaProperty { type: 'string' | 'integer'; minimum?: number; maximum?: number }
interface ToolDefinition {
  type: string;
  function: { name: string; parameters: { type: 'object'; properties: Record<string, JsonSchemaProperty>; required: string[] } };
  server: { url: string; timeoutSeconds: number };
}

const tools = JSON.parse(readFileSync(new URL('../../vapi/tools.json', import.meta.url), 'utf8')) as ToolDefinition[];
const SAMPLE: Record<string, unknown> = {
  name: 'Ada Lovelace', phone: '+15550100000', email: 'ada@example.com', serviceType: 'checkup',
  date: '2027-06-02', time: '11:00', durationMinutes: 30, practitioner: 'Dr. Lee',
  currentDate: 'Tuesday', newDate: 'June 3', newTime: '3pm',
};
const parsers = {
  [BOOK_TOOL_NAME]: parseBookingArguments,
  [AVAILABILITY_TOOL_NAME]: parseAvailabilityArguments,
  [FIND_TOOL_NAME]: parseFindArguments,
  [CANCEL_TOOL_NAME]: parseCancelArguments,
  [RESCHEDULE_TOOL_NAME]: parseRescheduleArguments,
} as const;
// A time may arrive inside the day's words ("tomorrow at 3"): zod leaves it optional and the
// endpoint asks for it when it is missing, while the JSON schema asks the model for it.
const TIME_KEYS = new Set(['time', 'newTime']);

describe('vapi/tools.json', () => {
  it('defines exactly the tools the endpoint serves, pointing at the function URL', () => {
    expect(tools.map((t) => t.function.name).sort()).toEqual([...TOOLS.keys()].sort());
    expect(Object.keys(parsers).sort()).toEqual([...TOOLS.keys()].sort());
    for (const tool of tools) {
      expect(tool.type).toBe('function');
      expect(tool.server.url).toMatch(/\/functions\/v1\/vapi-booking$/);
      expect(tool.server.timeoutSeconds).toBeLessThanOrEqual(20);
    }
  });

  for (const tool of tools) {
    const parse = parsers[tool.function.name as keyof typeof parsers];
    const { properties, required } = tool.function.parameters;

    it(`${tool.function.name}: every documented argument is accepted and kept`, () => {
      const args = Object.fromEntries(Object.keys(properties).map((key) => [key, SAMPLE[key]]));
      const parsed = parse(args);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      for (const key of Object.keys(properties)) expect(parsed.value).toHaveProperty(key);
    });

    it(`${tool.function.name}: the required arguments alone are enough`, () => {
      expect(parse(Object.fromEntries(required.map((key) => [key, SAMPLE[key]]))).ok).toBe(true);
    });

    it(`${tool.function.name}: leaving out a field zod requires is refused, and the JSON schema says it is required`, () => {
      for (const key of Object.keys(properties)) {
        const withoutKey = Object.fromEntries(Object.keys(properties).filter((k) => k !== key).map((k) => [k, SAMPLE[k]]));
        // `time` may be folded into `date`; the rest must agree exactly.
        if (TIME_KEYS.has(key)) continue;
        expect({ key, refused: !parse(withoutKey).ok }).toEqual({ key, refused: required.includes(key) });
      }
    });

    it(`${tool.function.name}: integer bounds match the schema`, () => {
      for (const [key, prop] of Object.entries(properties)) {
        if (prop.type !== 'integer') continue;
        const base = Object.fromEntries(required.map((k) => [k, SAMPLE[k]]));
        expect(parse({ ...base, [key]: prop.minimum }).ok).toBe(true);
        expect(parse({ ...base, [key]: (prop.minimum ?? 0) - 1 }).ok).toBe(false);
        expect(parse({ ...base, [key]: prop.maximum }).ok).toBe(true);
        expect(parse({ ...base, [key]: (prop.maximum ?? 0) + 1 }).ok).toBe(false);
      }
    });
  }
});

describe('vapi/tools.json and dates', () => {
  it('tells the model no UTC date (Vapi fills {{date}} / {{now}} in UTC) and asks for the caller\'s own words', () => {
    const text = readFileSync(new URL('../../vapi/tools.json', import.meta.url), 'utf8');
    expect(text).not.toMatch(/\{\{\s*(?:date|now|time)\b/);
    const book = tools.find((t) => t.function.name === BOOK_TOOL_NAME);
    const description = JSON.stringify(book?.function.parameters.properties['date']);
    expect(description).toMatch(/as the caller said it/);
    expect(description).toMatch(/day first in the UK/);
    const reschedule = tools.find((t) => t.function.name === RESCHEDULE_TOOL_NAME);
    expect(JSON.stringify(reschedule?.function.parameters.properties['newDate'])).toMatch(/as the caller said it/);
  });

  it('never asks the model for an appointment id or a patient\'s name beyond the caller\'s own', () => {
    for (const tool of tools) expect(Object.keys(tool.function.parameters.properties)).not.toContain('appointmentId');
  });
});
