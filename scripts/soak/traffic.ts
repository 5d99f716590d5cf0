// The soak's traffic: what Vapi and its language model throw at the endpoint in a busy hour —
// ordinary bookings, callers racing for one slot, Vapi retrying a tool call, and input that
// must be refused — with what each answer is expected to be and a tally of what it was.
import { DateTime } from 'luxon';
import { randomInt } from 'node:crypto';
import type { LoadOrg } from '../bench/fixtures.ts';
import { PhoneAllocator, SlotAllocator } from '../bench/fixtures.ts';
import { LoopbackClient, vapiEnvelope, type ToolCallRequest } from '../bench/vapi-client.ts';
import { elapsedMs } from '../bench/stats.ts';
import { classifyReply, type AnswerClass, type ClassifiedAnswer } from './answers.ts';

export type Scenario = 'normal' | 'race' | 'retry' | 'invalid' | 'http-invalid' | 'availability';

const WEIGHTS: ReadonlyArray<readonly [Scenario, number]> = [
  ['normal', 40],
  ['race', 12],
  ['retry', 15],
  ['invalid', 19],
  ['http-invalid', 4],
  ['availability', 10],
];

/** Answers that say "not now, try again": acceptable under load, never a booking. */
const RETRYABLE: ReadonlySet<AnswerClass> = new Set<AnswerClass>(['TRY_AGAIN', 'UNAVAILABLE']);

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

export interface Violation {
  /** hard = a correctness failure (exit 1); soft = a miss worth reporting (e.g. refused under load). */
  severity: 'hard' | 'soft';
  scenario: Scenario;
  what: string;
}

export class SoakTraffic {
  readonly tally = new Map<Scenario, Map<AnswerClass, number>>();
  readonly requests = new Map<Scenario, number>();
  readonly latencies: number[] = [];
  readonly violations: Violation[] = [];
  /** (call id, slot, phone) of every booking some answer said was made: retries count once. */
  readonly bookedKeys = new Set<string>();
  private calls = 0;
  private tools = 0;
  private readonly slots = new SlotAllocator();
  private readonly phones = new PhoneAllocator(1);

  constructor(
    private readonly orgs: readonly LoadOrg[],
    private readonly client: LoopbackClient,
    private readonly wrongSecretClient: LoopbackClient,
  ) {}

  async runOne(): Promise<void> {
    const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
    let roll = randomInt(total);
    for (const [scenario, weight] of WEIGHTS) {
      if (roll < weight) return this[scenarioMethod(scenario)]();
      roll -= weight;
    }
  }

  // --- scenarios -------------------------------------------------------------------------------

  /** One caller, one free slot: must be booked. */
  async normal(): Promise<void> {
    const b = this.newBooking();
    const answer = await this.send('normal', b.request, b.key);
    if (answer.cls !== 'BOOKED') this.miss('normal', RETRYABLE.has(answer.cls) ? 'soft' : 'hard', `a free slot answered ${answer.cls}`);
  }

  /** 3–6 callers on different calls want the same slot at once: exactly one gets it. */
  async race(): Promise<void> {
    const org = pick(this.orgs);
    const at = this.slots.take(org.id);
    const racers = 3 + randomInt(4);
    const answers = await Promise.all(Array.from({ length: racers }, () => {
      const b = this.newBooking(org, at);
      return this.send('race', b.request, b.key);
    }));
    const booked = answers.filter((a) => a.cls === 'BOOKED').length;
    if (booked > 1) this.miss('race', 'hard', `${booked} of ${racers} racers were told they are booked`);
    if (booked === 0) this.miss('race', 'soft', `no racer got the slot (${answers.map((a) => a.cls).join(', ')})`);
    for (const a of answers) {
      if (a.cls !== 'BOOKED' && a.cls !== 'SLOT_UNAVAILABLE' && !RETRYABLE.has(a.cls)) this.miss('race', 'hard', `a racer answered ${a.cls}`);
    }
  }

  /**
   * Vapi calls the tool again (same call, slot and phone, new toolCallId): after the first
   * answer, or while it is still in flight. Every answer must be the same booking.
   */
  async retry(): Promise<void> {
    const b = this.newBooking();
    const attempts = 2 + randomInt(3);
    const again = (): Promise<ClassifiedAnswer> => this.send('retry', { ...b.request, toolCallId: this.toolCallId() }, b.key);
    let answers: ClassifiedAnswer[];
    if (randomInt(2) === 0) {
      const first = await this.send('retry', b.request, b.key);
      answers = [first, ...(await Promise.all(Array.from({ length: attempts - 1 }, again)))];
    } else {
      answers = await Promise.all([this.send('retry', b.request, b.key), ...Array.from({ length: attempts - 1 }, again)]);
    }
    const notBooked = answers.filter((a) => a.cls !== 'BOOKED');
    for (const a of notBooked) this.miss('retry', RETRYABLE.has(a.cls) ? 'soft' : 'hard', `a retry answered ${a.cls}`);
  }

  /** Input the endpoint must refuse without booking anything (each on a fresh, free slot). */
  async invalid(): Promise<void> {
    const b = this.newBooking();
    const args = b.request.args as Record<string, unknown>;
    const variants: ReadonlyArray<() => ToolCallRequest> = [
      () => ({ ...b.request, args: { ...args, phone: pick(['12345', 'call me later', '+0 555 123', '555-CALL-NOW']) } }),
      () => ({ ...b.request, args: { ...withoutSlot(args), date: pick(['someday soon', '2027-13-45', 'the 35th of never']), time: '10:00' } }),
      () => ({ ...b.request, args: { ...withoutSlot(args), scheduledAt: pick(['yesterday-ish', '31/31/2031 25:61', 'tomorrow at noonish']) } }),
      () => ({ ...b.request, toolName: pick(['bookDentistAppointment', 'deleteAllAppointments', 'BOOKCLINICAPPOINTMENT']) }),
      () => ({ ...b.request, args: { ...args, name: pick(['', '   ', '12345', 'bad\u0007name']) } }),
      () => ({ ...b.request, args: { ...args, durationMinutes: pick([0, 9999, 'forever']) } }),
      () => ({ ...b.request, args: '{"name": "unterminated' }),
      () => ({ ...b.request, assistantId: 'assistant-nobody-routed' }),
    ];
    const answer = await this.send('invalid', pick(variants)(), null);
    if (answer.cls === 'BOOKED') this.miss('invalid', 'hard', `invalid input was booked: ${answer.text}`);
    if (answer.status !== 200) this.miss('invalid', 'hard', `invalid tool input answered HTTP ${answer.status}`);
  }

  /** Broken requests: not JSON (400) and a wrong secret (401). */
  async httpInvalid(): Promise<void> {
    const b = this.newBooking();
    if (randomInt(2) === 0) {
      const answer = await this.sendRaw('http-invalid', this.client, '{"message": {"type": "tool-calls", ');
      if (answer.status !== 400) this.miss('http-invalid', 'hard', `a body that is not JSON answered HTTP ${answer.status}`);
    } else {
      const answer = await this.sendRaw('http-invalid', this.wrongSecretClient, vapiEnvelope(b.request));
      if (answer.status !== 401) this.miss('http-invalid', 'hard', `a wrong secret answered HTTP ${answer.status}`);
    }
  }

  /** The read-only availability tool: never books. */
  async availability(): Promise<void> {
    const org = pick(this.orgs);
    const day = DateTime.fromJSDate(this.slots.take(org.id), { zone: org.timeZone }).toISODate() ?? '';
    const answer = await this.send('availability', {
      callId: this.callId(), toolCallId: this.toolCallId(), assistantId: org.assistantId,
      toolName: 'checkAvailability', args: { date: day },
    }, null);
    if (answer.cls !== 'AVAILABILITY') this.miss('availability', RETRYABLE.has(answer.cls) ? 'soft' : 'hard', `availability answered ${answer.cls}`);
  }

  // --- plumbing --------------------------------------------------------------------------------

  private callId(): string {
    this.calls += 1;
    return `soak-call-${this.calls}`;
  }

  private toolCallId(): string {
    this.tools += 1;
    return `soak-tool-${this.tools}`;
  }

  /** A valid booking request on a fresh slot, in one of the shapes models produce. */
  private newBooking(org: LoadOrg = pick(this.orgs), at: Date = this.slots.take(org.id)): { request: ToolCallRequest; key: string } {
    const e164 = this.phones.take();
    const callId = this.callId();
    const local = DateTime.fromJSDate(at, { zone: org.timeZone });
    const when = pick<() => Record<string, string>>([
      () => ({ scheduledAt: at.toISOString() }),
      () => ({ scheduledAt: local.toFormat("yyyy-MM-dd'T'HH:mm") }),
      () => ({ date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('h:mm a') }),
      () => ({ date: local.toFormat('MMMM d, yyyy'), time: local.toFormat('HH:mm') }),
      // The model's favourite mistake: last year. The function moves it to the next upcoming date.
      () => ({ date: local.minus({ years: 1 }).toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') }),
    ])();
    const phone = pick([e164, `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`, `+1 ${e164.slice(2, 5)} ${e164.slice(5, 8)} ${e164.slice(8)}`]);
    const name = pick(["jOHN o'brien", '  mary   ann  SMITH ', 'élodie dupont', 'Li Wei', 'ANNA-LENA meyer']);
    const email = pick([undefined, 'John.Doe@Example.COM', ' mixed.Case@Clinic.org ']);
    return {
      request: {
        callId,
        toolCallId: this.toolCallId(),
        assistantId: org.assistantId,
        args: { name, phone, serviceType: pick(['checkup', 'Consultation', 'follow up']), ...(email ? { email } : {}), ...when },
      },
      key: `${callId}|${at.toISOString()}|${e164}`,
    };
  }

  private async send(scenario: Scenario, request: ToolCallRequest, key: string | null): Promise<ClassifiedAnswer> {
    const answer = await this.sendRaw(scenario, this.client, vapiEnvelope(request));
    if (answer.cls === 'BOOKED' && key !== null) this.bookedKeys.add(key);
    return answer;
  }

  private async sendRaw(scenario: Scenario, client: LoopbackClient, body: string): Promise<ClassifiedAnswer> {
    this.requests.set(scenario, (this.requests.get(scenario) ?? 0) + 1);
    const t0 = process.hrtime.bigint();
    let answer: ClassifiedAnswer;
    try {
      answer = classifyReply(await client.post(body));
    } catch (error) {
      answer = { status: 0, cls: 'NETWORK_ERROR', text: error instanceof Error ? error.message : String(error), leaks: [] };
    }
    this.latencies.push(elapsedMs(t0));
    const counts = this.tally.get(scenario) ?? new Map<AnswerClass, number>();
    counts.set(answer.cls, (counts.get(answer.cls) ?? 0) + 1);
    this.tally.set(scenario, counts);
    if (answer.leaks.length) this.miss(scenario, 'hard', `internals in an answer (${answer.leaks.join(', ')})`);
    if (answer.cls === 'HTTP_5XX' || answer.cls === 'NETWORK_ERROR' || answer.cls === 'NO_ANSWER' || answer.cls === 'UNRECOGNIZED') {
      this.miss(scenario, 'hard', `${answer.cls}: ${answer.text.slice(0, 120)}`);
    }
    return answer;
  }

  private miss(scenario: Scenario, severity: Violation['severity'], what: string): void {
    this.violations.push({ severity, scenario, what });
  }
}

function scenarioMethod(scenario: Scenario): 'normal' | 'race' | 'retry' | 'invalid' | 'httpInvalid' | 'availability' {
  return scenario === 'http-invalid' ? 'httpInvalid' : scenario;
}

function withoutSlot(args: Record<string, unknown>): Record<string, unknown> {
  const { scheduledAt: _s, date: _d, time: _t, ...rest } = args;
  return rest;
}
