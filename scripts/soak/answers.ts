// What the endpoint answered, reduced to one class per tool call, from the same wording the
// function speaks (speech.ts), plus the leak check the integration tests use.
import { errorMessage, OUTSIDE_HOURS_OPENING, SLOT_TAKEN_OPENING } from '../../supabase/functions/_shared/speech.ts';
import { DATABASE_CODES, EDGE_CODES, type BookingErrorCode } from '../../supabase/functions/_shared/codes.ts';
import { leaksIn } from '../lib/answer-leaks.ts';
import { isBookedAnswer, toolAnswers, type HttpReply } from '../bench/vapi-client.ts';

export type AnswerClass =
  | 'BOOKED'
  | 'AVAILABILITY'
  | BookingErrorCode
  | 'HTTP_400'
  | 'HTTP_401'
  | 'HTTP_5XX'
  | 'HTTP_OTHER'
  | 'NO_ANSWER'
  | 'NETWORK_ERROR'
  | 'UNRECOGNIZED';

// Fixed lines, longest first so no line is taken for a prefix of another.
const FIXED: ReadonlyArray<readonly [BookingErrorCode, string]> = [...DATABASE_CODES, ...EDGE_CODES]
  .filter((code) => code !== 'SLOT_UNAVAILABLE' && code !== 'OUTSIDE_BUSINESS_HOURS')
  .map((code) => [code, errorMessage(code)] as const)
  .sort((a, b) => b[1].length - a[1].length);

export function classifyText(text: string): AnswerClass {
  if (isBookedAnswer(text)) return 'BOOKED';
  if (text.startsWith(SLOT_TAKEN_OPENING)) return 'SLOT_UNAVAILABLE';
  if (text.startsWith(OUTSIDE_HOURS_OPENING)) return 'OUTSIDE_BUSINESS_HOURS';
  if (/^On .+ I have .+ free/.test(text) || text.startsWith('I have no free times on')) return 'AVAILABILITY';
  for (const [code, line] of FIXED) if (text === line) return code;
  return 'UNRECOGNIZED';
}

export interface ClassifiedAnswer {
  status: number;
  cls: AnswerClass;
  text: string;
  /** Internals found in the body (stack frames, SQL, postgres names): must stay empty. */
  leaks: string[];
}

/** The first tool call's answer of a reply (every soak request carries one tool call). */
export function classifyReply(reply: HttpReply): ClassifiedAnswer {
  const leaks = leaksIn(reply.text);
  if (reply.status === 400) return { status: 400, cls: 'HTTP_400', text: reply.text, leaks };
  if (reply.status === 401) return { status: 401, cls: 'HTTP_401', text: reply.text, leaks };
  if (reply.status >= 500) return { status: reply.status, cls: 'HTTP_5XX', text: reply.text, leaks };
  if (reply.status !== 200) return { status: reply.status, cls: 'HTTP_OTHER', text: reply.text, leaks };
  const answer = toolAnswers(reply)?.[0];
  const text = answer?.result ?? answer?.error;
  if (text === undefined) return { status: 200, cls: 'NO_ANSWER', text: reply.text, leaks };
  return { status: 200, cls: classifyText(text), text, leaks };
}
