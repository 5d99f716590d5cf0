// Every request shape the endpoint accepts, reduced to one list of tool calls plus the call's
// trusted context. Never throws: whatever arrives becomes a ParsedEnvelope.
//
// Decisions:
// - A tool call without an id keeps id '' and is still answered in its slot: Vapi always sends
//   ids, so only hand-written callers hit this, and an empty echo is more honest than an
//   invented one.
// - Arguments that are a string but not a JSON object become `null` ("unparsable") for that
//   call only; missing/null arguments become {} so the argument schema can say which field
//   is missing.
// - Among toolCallList, toolWithToolCallList and toolCalls the first present array wins
//   (Vapi sends the first two with the same calls).
import { z } from 'zod';
import { BOOK_TOOL_NAME } from './booking-args.ts';

export interface ToolCall {
  id: string;
  name: string | undefined;
  /** null = the arguments could not be read as a JSON object. */
  arguments: Record<string, unknown> | null;
}

/** Ids from the authenticated server message, never from model-written arguments. */
export interface CallContext {
  callId: string | undefined;
  assistantId: string | undefined;
  phoneNumberId: string | undefined;
  customerNumber: string | undefined;
  /** When the call began (`call.startedAt ?? call.createdAt`): the call's "now" for dates. */
  startedAt: Date | undefined;
}

export interface DirectContext extends CallContext {
  orgId: string;
  /** A direct caller's own idempotency key, if it sent one. */
  idempotencyKey: string | undefined;
}

export type ParsedEnvelope =
  | { kind: 'tool-calls'; calls: ToolCall[]; context: CallContext; responseStyle: 'results' }
  | { kind: 'function-call'; calls: [ToolCall]; context: CallContext; responseStyle: 'result' }
  | { kind: 'direct'; calls: [ToolCall]; context: DirectContext; responseStyle: 'results' }
  | { kind: 'ignored' }
  | { kind: 'invalid' };

const record = z.record(z.string(), z.unknown());
type UnknownRecord = z.infer<typeof record>;

// Loose on purpose: only the fields read here are described, the rest passes untouched.
const functionPart = z.looseObject({
  name: z.unknown().optional(),
  arguments: z.unknown().optional(),
  parameters: z.unknown().optional(),
});
const toolCallEntry = z.looseObject({
  id: z.unknown().optional(),
  name: z.unknown().optional(),
  function: functionPart.optional().catch(undefined),
  arguments: z.unknown().optional(),
  parameters: z.unknown().optional(),
});
const toolWithToolCallEntry = z.looseObject({
  name: z.unknown().optional(),
  function: functionPart.optional().catch(undefined),
  toolCall: z.unknown().optional(),
});
const messageSchema = z.looseObject({
  type: z.string(),
  toolCallList: z.array(z.unknown()).optional(),
  toolWithToolCallList: z.array(z.unknown()).optional(),
  toolCalls: z.array(z.unknown()).optional(),
  functionCall: z.unknown().optional(),
  call: z.unknown().optional(),
  assistant: z.unknown().optional(),
  phoneNumber: z.unknown().optional(),
  customer: z.unknown().optional(),
});
const directSchema = z.looseObject({
  toolCallId: z.unknown().optional(),
  tool: z.looseObject({
    name: z.unknown().optional(),
    function: functionPart.optional().catch(undefined),
    arguments: z.unknown().optional(),
    parameters: z.unknown().optional(),
  }),
  orgId: z.unknown().optional(),
  org_id: z.unknown().optional(),
  idempotencyKey: z.unknown().optional(),
  idempotency_key: z.unknown().optional(),
});

// Any 8-4-4-4-12 hex id: z.uuid() would refuse the all-zero-style ids seed data uses.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_IDEMPOTENCY_KEY = 200; // appointments.idempotency_key check constraint

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function id(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

function asRecord(value: unknown): UnknownRecord | undefined {
  const parsed = record.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function field(value: unknown, key: string): unknown {
  return asRecord(value)?.[key];
}

function readArguments(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return {};
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    let decoded: unknown;
    try {
      decoded = JSON.parse(value);
      // Some clients encode the JSON string twice.
      if (typeof decoded === 'string') decoded = JSON.parse(decoded);
    } catch {
      return null;
    }
    return Array.isArray(decoded) ? null : (asRecord(decoded) ?? null);
  }
  return Array.isArray(value) ? null : (asRecord(value) ?? null);
}

const UNREADABLE_CALL: ToolCall = { id: '', name: undefined, arguments: null };

function toolCallFrom(entry: unknown, fallbackName?: string): ToolCall {
  const parsed = toolCallEntry.safeParse(entry);
  if (!parsed.success) return { ...UNREADABLE_CALL, name: fallbackName };
  const call = parsed.data;
  const fn = call.function;
  return {
    id: id(call.id),
    name: text(fn?.name) ?? text(call.name) ?? fallbackName,
    arguments: readArguments(fn?.arguments ?? fn?.parameters ?? call.arguments ?? call.parameters),
  };
}

function toolCallFromWrapper(entry: unknown): ToolCall {
  const parsed = toolWithToolCallEntry.safeParse(entry);
  if (!parsed.success) return { ...UNREADABLE_CALL };
  const outerName = text(parsed.data.function?.name) ?? text(parsed.data.name);
  return toolCallFrom(parsed.data.toolCall, outerName);
}

function instant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function contextOf(message: z.infer<typeof messageSchema>): CallContext {
  const call = message.call;
  return {
    startedAt: instant(field(call, 'startedAt')) ?? instant(field(call, 'createdAt')),
    callId: text(field(call, 'id')),
    assistantId: text(field(call, 'assistantId')) ?? text(field(message.assistant, 'id')),
    phoneNumberId: text(field(call, 'phoneNumberId')) ?? text(field(message.phoneNumber, 'id')),
    customerNumber: text(field(field(call, 'customer'), 'number')) ?? text(field(message.customer, 'number')),
  };
}

function parseMessage(message: unknown): ParsedEnvelope {
  const parsed = messageSchema.safeParse(message);
  if (!parsed.success) return { kind: 'invalid' };
  const m = parsed.data;
  const context = contextOf(m);

  if (m.type === 'tool-calls') {
    let calls: ToolCall[];
    if (m.toolCallList) calls = m.toolCallList.map((entry) => toolCallFrom(entry));
    else if (m.toolWithToolCallList) calls = m.toolWithToolCallList.map(toolCallFromWrapper);
    else if (m.toolCalls) calls = m.toolCalls.map((entry) => toolCallFrom(entry));
    else return { kind: 'invalid' };
    return { kind: 'tool-calls', calls, context, responseStyle: 'results' };
  }

  if (m.type === 'function-call') {
    const fn = asRecord(m.functionCall);
    if (!fn) return { kind: 'invalid' };
    const call: ToolCall = {
      id: id(fn['id']),
      name: text(fn['name']),
      arguments: readArguments(fn['parameters'] ?? fn['arguments']),
    };
    return { kind: 'function-call', calls: [call], context, responseStyle: 'result' };
  }

  return { kind: 'ignored' };
}

function parseDirect(body: UnknownRecord): ParsedEnvelope {
  const parsed = directSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid' };
  const d = parsed.data;
  const orgId = text(d.orgId) ?? text(d.org_id);
  if (orgId === undefined || !UUID.test(orgId)) return { kind: 'invalid' };
  const key = text(d.idempotencyKey) ?? text(d.idempotency_key);
  if (key !== undefined && key.length > MAX_IDEMPOTENCY_KEY) return { kind: 'invalid' };
  const tool = d.tool;
  const call: ToolCall = {
    id: id(d.toolCallId),
    // The plain direct shape names no tool: it is the booking tool unless it says otherwise.
    name: text(tool.function?.name) ?? text(tool.name) ?? BOOK_TOOL_NAME,
    arguments: readArguments(
      tool.function?.arguments ?? tool.function?.parameters ?? tool.arguments ?? tool.parameters,
    ),
  };
  return {
    kind: 'direct',
    calls: [call],
    context: {
      callId: undefined,
      assistantId: undefined,
      phoneNumberId: undefined,
      customerNumber: undefined,
      startedAt: undefined,
      orgId: orgId.toLowerCase(),
      idempotencyKey: key,
    },
    responseStyle: 'results',
  };
}

export function parseEnvelope(body: unknown): ParsedEnvelope {
  const top = asRecord(body);
  if (!top || Array.isArray(body)) return { kind: 'invalid' };
  if (top['message'] !== undefined) return parseMessage(top['message']);
  if (top['tool'] !== undefined) return parseDirect(top);
  return { kind: 'invalid' };
}
