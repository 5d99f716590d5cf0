import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../supabase/functions/_shared/envelope.ts';

const ARGS = { name: 'Jane Doe', phone: '(555) 444-3333', date: 'June 2', time: '11am', serviceType: 'cleaning' };
const ORG = '3f2b9c1e-5d4a-4e8b-9f1a-2c3d4e5f6a7b';

const call = {
  id: 'call-uuid-1',
  assistantId: 'asst-1',
  phoneNumberId: 'pn-1',
  customer: { number: '+15551234567' },
};

function toolCalls(extra: Record<string, unknown>) {
  return { message: { type: 'tool-calls', call, assistant: { id: 'asst-from-assistant' }, ...extra } };
}

describe('parseEnvelope: tool-calls', () => {
  it('reads toolCallList with object arguments and the call context', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [{ id: 'tc_1', type: 'function', function: { name: 'bookClinicAppointment', arguments: ARGS } }],
      }),
    );
    expect(parsed).toEqual({
      kind: 'tool-calls',
      responseStyle: 'results',
      calls: [{ id: 'tc_1', name: 'bookClinicAppointment', arguments: ARGS }],
      context: { callId: 'call-uuid-1', assistantId: 'asst-1', phoneNumberId: 'pn-1', customerNumber: '+15551234567' },
    });
  });

  it('reads arguments sent as a JSON string', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [{ id: 'tc_1', function: { name: 'bookClinicAppointment', arguments: JSON.stringify(ARGS) } }],
      }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls[0]?.arguments).toEqual(ARGS);
  });

  it('reads doubly encoded JSON string arguments', () => {
    const parsed = parseEnvelope(
      toolCalls({ toolCallList: [{ id: 'tc_1', function: { name: 'x', arguments: JSON.stringify(JSON.stringify(ARGS)) } }] }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls[0]?.arguments).toEqual(ARGS);
  });

  it('marks only the call with unreadable arguments, keeping order and ids', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [
          { id: 'a', function: { name: 'bookClinicAppointment', arguments: '{"name": "Jane"' } },
          { id: 'b', function: { name: 'bookClinicAppointment', arguments: ARGS } },
          { id: 'c', function: { name: 'bookClinicAppointment', arguments: '[1,2]' } },
          { id: 'd', function: { name: 'bookClinicAppointment', arguments: 42 } },
          { id: 'e', function: { name: 'bookClinicAppointment', arguments: '"just text"' } },
        ],
      }),
    );
    expect(parsed.kind).toBe('tool-calls');
    if (parsed.kind !== 'tool-calls') return;
    expect(parsed.calls.map((c) => [c.id, c.arguments])).toEqual([
      ['a', null],
      ['b', ARGS],
      ['c', null],
      ['d', null],
      ['e', null],
    ]);
  });

  it('treats missing or empty arguments as an empty object', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [
          { id: 'a', function: { name: 'checkAvailability' } },
          { id: 'b', function: { name: 'checkAvailability', arguments: '' } },
          { id: 'c', function: { name: 'checkAvailability', arguments: null } },
        ],
      }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls.map((c) => c.arguments)).toEqual([{}, {}, {}]);
  });

  it('falls back from function.name to name and from arguments to parameters', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [
          { id: 'a', name: 'bookClinicAppointment', arguments: ARGS },
          { id: 'b', function: { name: 'bookClinicAppointment', parameters: ARGS } },
          { id: 'c', name: 'bookClinicAppointment', parameters: JSON.stringify(ARGS) },
          { id: 'd', function: { name: 'fn-name', arguments: ARGS }, name: 'outer-name' },
          { id: 'e', function: { arguments: ARGS } },
        ],
      }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls).toEqual([
      { id: 'a', name: 'bookClinicAppointment', arguments: ARGS },
      { id: 'b', name: 'bookClinicAppointment', arguments: ARGS },
      { id: 'c', name: 'bookClinicAppointment', arguments: ARGS },
      { id: 'd', name: 'fn-name', arguments: ARGS },
      { id: 'e', name: undefined, arguments: ARGS },
    ]);
  });

  it('prefers function.arguments over function.parameters over top-level arguments', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [{ id: 'a', function: { name: 'x', arguments: { n: 1 }, parameters: { n: 2 } }, arguments: { n: 3 } }],
      }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls[0]?.arguments).toEqual({ n: 1 });
  });

  it('reads toolWithToolCallList through .toolCall', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolWithToolCallList: [
          {
            type: 'function',
            function: { name: 'bookClinicAppointment' },
            toolCall: { id: 'tc_9', type: 'function', function: { name: 'bookClinicAppointment', arguments: ARGS } },
          },
          // The tool's name is used when the call itself carries none.
          { function: { name: 'checkAvailability' }, toolCall: { id: 'tc_10', function: { arguments: { date: 'June 2' } } } },
          { function: { name: 'checkAvailability' } },
        ],
      }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls).toEqual([
      { id: 'tc_9', name: 'bookClinicAppointment', arguments: ARGS },
      { id: 'tc_10', name: 'checkAvailability', arguments: { date: 'June 2' } },
      { id: '', name: 'checkAvailability', arguments: null },
    ]);
  });

  it('prefers toolCallList when Vapi sends both lists', () => {
    const parsed = parseEnvelope(
      toolCalls({
        toolCallList: [{ id: 'tc_1', function: { name: 'bookClinicAppointment', arguments: ARGS } }],
        toolWithToolCallList: [{ toolCall: { id: 'tc_1', function: { name: 'bookClinicAppointment', arguments: ARGS } } }],
      }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls).toHaveLength(1);
  });

  it('reads the legacy toolCalls list', () => {
    const parsed = parseEnvelope(
      toolCalls({ toolCalls: [{ id: 'old_1', function: { name: 'bookClinicAppointment', parameters: ARGS } }] }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls).toEqual([
      { id: 'old_1', name: 'bookClinicAppointment', arguments: ARGS },
    ]);
  });

  it('keeps a slot for entries that are not objects, with id ""', () => {
    const parsed = parseEnvelope(toolCalls({ toolCallList: ['nonsense', null, { function: { name: 'x', arguments: {} } }] }));
    expect(parsed.kind === 'tool-calls' && parsed.calls).toEqual([
      { id: '', name: undefined, arguments: null },
      { id: '', name: undefined, arguments: null },
      { id: '', name: 'x', arguments: {} },
    ]);
  });

  it('keeps ids exactly as given and stringifies numeric ones', () => {
    const parsed = parseEnvelope(
      toolCalls({ toolCallList: [{ id: '  spaced id ', function: { name: 'x' } }, { id: 7, function: { name: 'x' } }] }),
    );
    expect(parsed.kind === 'tool-calls' && parsed.calls.map((c) => c.id)).toEqual(['  spaced id ', '7']);
  });

  it('answers an empty list with no calls', () => {
    expect(parseEnvelope(toolCalls({ toolCallList: [] }))).toMatchObject({ kind: 'tool-calls', calls: [] });
  });

  it('is invalid without any list, or with a list that is not an array', () => {
    expect(parseEnvelope(toolCalls({}))).toEqual({ kind: 'invalid' });
    expect(parseEnvelope(toolCalls({ toolCallList: { id: 'x' } }))).toEqual({ kind: 'invalid' });
  });
});

describe('parseEnvelope: call context', () => {
  const list = { toolCallList: [{ id: 'a', function: { name: 'x', arguments: {} } }] };

  it('falls back to assistant.id and phoneNumber.id', () => {
    const parsed = parseEnvelope({
      message: {
        type: 'tool-calls',
        ...list,
        call: { id: 'c1' },
        assistant: { id: 'asst-2' },
        phoneNumber: { id: 'pn-2' },
        customer: { number: '+447700900123' },
      },
    });
    expect(parsed.kind === 'tool-calls' && parsed.context).toEqual({
      callId: 'c1',
      assistantId: 'asst-2',
      phoneNumberId: 'pn-2',
      customerNumber: '+447700900123',
    });
  });

  it('has no customer number on web calls and tolerates a transient assistant', () => {
    const parsed = parseEnvelope({
      message: { type: 'tool-calls', ...list, call: { id: 'c1', phoneNumberId: 'pn-3' }, assistant: { name: 'temp' } },
    });
    expect(parsed.kind === 'tool-calls' && parsed.context).toEqual({
      callId: 'c1',
      assistantId: undefined,
      phoneNumberId: 'pn-3',
      customerNumber: undefined,
    });
  });

  it('ignores context fields of the wrong type', () => {
    const parsed = parseEnvelope({
      message: { type: 'tool-calls', ...list, call: { id: 5, assistantId: {}, customer: 'x' }, assistant: 'y' },
    });
    expect(parsed.kind === 'tool-calls' && parsed.context).toEqual({
      callId: undefined,
      assistantId: undefined,
      phoneNumberId: undefined,
      customerNumber: undefined,
    });
  });
});

describe('parseEnvelope: legacy function-call', () => {
  it('reads functionCall { name, parameters } and answers with { result }', () => {
    const parsed = parseEnvelope({
      message: { type: 'function-call', functionCall: { name: 'bookClinicAppointment', parameters: ARGS }, call },
    });
    expect(parsed).toEqual({
      kind: 'function-call',
      responseStyle: 'result',
      calls: [{ id: '', name: 'bookClinicAppointment', arguments: ARGS }],
      context: { callId: 'call-uuid-1', assistantId: 'asst-1', phoneNumberId: 'pn-1', customerNumber: '+15551234567' },
    });
  });

  it('reads string parameters and marks bad JSON', () => {
    const good = parseEnvelope({ message: { type: 'function-call', functionCall: { name: 'x', parameters: JSON.stringify(ARGS) } } });
    expect(good.kind === 'function-call' && good.calls[0].arguments).toEqual(ARGS);
    const bad = parseEnvelope({ message: { type: 'function-call', functionCall: { name: 'x', parameters: '{oops' } } });
    expect(bad.kind === 'function-call' && bad.calls[0].arguments).toBeNull();
  });

  it('is invalid without functionCall', () => {
    expect(parseEnvelope({ message: { type: 'function-call' } })).toEqual({ kind: 'invalid' });
  });
});

describe('parseEnvelope: direct callers', () => {
  it('reads { toolCallId, tool: { name, arguments }, orgId }', () => {
    expect(parseEnvelope({ toolCallId: 'd-1', tool: { name: 'bookClinicAppointment', arguments: ARGS }, orgId: ORG })).toEqual({
      kind: 'direct',
      responseStyle: 'results',
      calls: [{ id: 'd-1', name: 'bookClinicAppointment', arguments: ARGS }],
      context: {
        callId: undefined,
        assistantId: undefined,
        phoneNumberId: undefined,
        customerNumber: undefined,
        orgId: ORG,
        idempotencyKey: undefined,
      },
    });
  });

  it('accepts org_id, a missing tool name (the booking tool), string arguments and an own idempotency key', () => {
    const parsed = parseEnvelope({
      tool: { arguments: JSON.stringify(ARGS) },
      org_id: ORG.toUpperCase(),
      idempotency_key: 'my-key-1',
    });
    expect(parsed.kind).toBe('direct');
    if (parsed.kind !== 'direct') return;
    expect(parsed.calls).toEqual([{ id: '', name: 'bookClinicAppointment', arguments: ARGS }]);
    expect(parsed.context.orgId).toBe(ORG);
    expect(parsed.context.idempotencyKey).toBe('my-key-1');
  });

  it('reads tool.parameters too', () => {
    const parsed = parseEnvelope({ toolCallId: 'd', tool: { name: 'x', parameters: ARGS }, orgId: ORG });
    expect(parsed.kind === 'direct' && parsed.calls[0].arguments).toEqual(ARGS);
  });

  it('accepts non-RFC seed ids', () => {
    const parsed = parseEnvelope({ tool: { arguments: {} }, orgId: '00000000-0000-0000-0000-000000000001' });
    expect(parsed.kind).toBe('direct');
  });

  it.each([
    [{ tool: { arguments: ARGS } }],
    [{ tool: { arguments: ARGS }, orgId: 'not-a-uuid' }],
    [{ tool: { arguments: ARGS }, orgId: 42 }],
    [{ tool: 'bookClinicAppointment', orgId: ORG }],
    [{ tool: { arguments: ARGS }, orgId: ORG, idempotencyKey: 'k'.repeat(201) }],
  ])('is invalid for %j', (body) => {
    expect(parseEnvelope(body)).toEqual({ kind: 'invalid' });
  });
});

describe('parseEnvelope: other bodies', () => {
  it.each(['status-update', 'end-of-call-report', 'transcript', 'hang', 'conversation-update', 'something-new'])(
    'ignores message type %s',
    (type) => {
      expect(parseEnvelope({ message: { type, call } })).toEqual({ kind: 'ignored' });
    },
  );

  it.each([[null], [undefined], ['text'], [42], [[]], [[{ message: {} }]], [{}], [{ message: 'x' }], [{ message: {} }], [{ message: { type: 7 } }]])(
    'is invalid for %j',
    (body) => {
      expect(parseEnvelope(body)).toEqual({ kind: 'invalid' });
    },
  );
});
