import { describe, expect, it } from 'vitest';
import { AgentLLMError } from '../../src/errors.ts';
import { parseChatRequest } from '../../src/openai/parse-chat-request.ts';

function rejection(body: unknown): AgentLLMError {
  try {
    parseChatRequest(body);
  } catch (error) {
    if (error instanceof AgentLLMError) return error;
    throw error;
  }
  throw new Error('expected parseChatRequest to throw');
}

describe('parseChatRequest', () => {
  it('splits system and developer messages from the conversation and joins text parts', () => {
    const parsed = parseChatRequest({
      model: 'helper',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }, { type: 'text', text: 'there' }] },
        { role: 'assistant', content: 'Bonjour' },
        { role: 'user', content: 'Ça va ?' },
      ],
    });
    expect(parsed.system).toEqual(['Be brief.', 'Answer in French.']);
    expect(parsed.messages).toEqual([
      { role: 'user', text: 'Hello\nthere' },
      { role: 'assistant', text: 'Bonjour' },
      { role: 'user', text: 'Ça va ?' },
    ]);
    expect(parsed).toMatchObject({ model: 'helper', stream: false, includeUsage: false, metadata: {} });
  });

  it('turns assistant tool calls and the tool messages answering them into tool items', () => {
    const parsed = parseChatRequest({
      model: 'helper',
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
        { role: 'tool', tool_call_id: 'call_2', content: 'plain text' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    expect(parsed.messages).toEqual([
      { role: 'user', text: 'Weather?' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'call_1', name: 'get_weather', args: { city: 'Paris' } }] },
      {
        role: 'tool',
        results: [
          { id: 'call_1', name: 'get_weather', result: { temp: 21 }, isError: false },
          { id: 'call_2', name: 'call_2', result: 'plain text', isError: false },
        ],
      },
      { role: 'user', text: 'And tomorrow?' },
    ]);
  });

  it('maps generation settings: max_completion_tokens wins, stop string becomes a list', () => {
    const parsed = parseChatRequest({
      model: 'helper',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 10,
      max_completion_tokens: 20,
      stop: 'END',
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      tools: [],
      tool_choice: 'auto',
      response_format: { type: 'text' },
      reasoning_effort: 'low',
    });
    expect(parsed.settings).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 20,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
  });

  it.each([
    [{ type: 'json_object' }, { type: 'json' }],
    [{ type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { n: { type: 'integer' } } } } }, { type: 'json', schema: { type: 'object', properties: { n: { type: 'integer' } } } }],
    [{ type: 'json_schema', json_schema: { name: 'answer' } }, { type: 'json' }],
  ])('maps response_format %j to a JSON answer', (format, responseFormat) => {
    const parsed = parseChatRequest({ model: 'helper', messages: [{ role: 'user', content: 'hi' }], response_format: format });
    expect(parsed.settings).toEqual({ responseFormat });
  });

  it.each([
    [{ tools: [{ type: 'function', function: { name: 'mine' } }] }, 'tools', /an agent's tools come from the toolkits/],
    [{ tool_choice: 'required' }, 'tool_choice', /must be none or auto/],
    [{ tool_choice: { type: 'function', function: { name: 'mine' } } }, 'tool_choice', /must be none or auto/],
    [{ logprobs: true }, 'logprobs', /logprobs is not supported/],
    [{ functions: [{ name: 'mine', parameters: {} }] }, 'functions', /functions is not supported: an agent's tools come from the toolkits/],
    [{ function_call: { name: 'mine' } }, 'function_call', /function_call must be none or auto/],
  ])('rejects %j as an unsupported parameter', (extra, param, message) => {
    const error = rejection({ model: 'helper', messages: [{ role: 'user', content: 'hi' }], ...extra });
    expect({ status: error.status, param: error.param, code: error.code }).toEqual({ status: 400, param, code: 'unsupported_parameter' });
    expect(error.message).toMatch(message);
  });

  it('accepts empty legacy functions and a function_call of none or auto', () => {
    for (const extra of [{ functions: [] }, { function_call: 'none' }, { function_call: 'auto', functions: null }]) {
      expect(parseChatRequest({ model: 'helper', messages: [{ role: 'user', content: 'hi' }], ...extra }).model).toBe('helper');
    }
  });

  it('rejects stream_options without stream: true, as OpenAI does', () => {
    for (const stream of [undefined, false]) {
      const error = rejection({ model: 'helper', messages: [{ role: 'user', content: 'hi' }], stream, stream_options: { include_usage: true } });
      expect({ status: error.status, param: error.param }).toEqual({ status: 400, param: 'stream_options' });
      expect(error.message).toBe("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
    }
    const parsed = parseChatRequest({ model: 'helper', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    expect(parsed.includeUsage).toBe(true);
  });

  it('rejects a json_schema response_format without its json_schema', () => {
    const error = rejection({ model: 'helper', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_schema' } });
    expect(error.param).toBe('response_format.json_schema');
  });

  it('uses max_tokens when max_completion_tokens is absent and ignores nulls', () => {
    const parsed = parseChatRequest({
      model: 'helper',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 10,
      temperature: null,
      stop: ['a', 'b'],
    });
    expect(parsed.settings).toEqual({ maxTokens: 10, stop: ['a', 'b'] });
  });

  it('reads stream, include_usage, metadata and user', () => {
    const parsed = parseChatRequest({
      model: 'helper',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
      metadata: { session_id: 's1' },
      user: 'u1',
    });
    expect(parsed).toMatchObject({ stream: true, includeUsage: true, metadata: { session_id: 's1' }, user: 'u1' });
  });

  it('rejects an unknown role naming the message and the allowed roles', () => {
    const error = rejection({
      model: 'helper',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'robot', content: 'c' },
      ],
    });
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.param).toBe('messages[2].role');
    expect(error.message).toBe('messages[2].role must be one of system, developer, user, assistant, tool, function');
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model', "Missing required parameter: 'model'."],
    [{ model: 'helper' }, 'messages', "Missing required parameter: 'messages'."],
    [{ model: 'helper', messages: [] }, 'messages', 'messages must not be empty'],
    [{ model: 'helper', messages: 'hi' }, 'messages', 'messages must be an array'],
    [{ model: 'helper', messages: [{ content: 'x' }] }, 'messages[0].role', "Missing required parameter: 'messages[0].role'."],
    [{ model: 'helper', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content', 'messages[0].content must be a string or an array'],
    [{ model: 'helper', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }, 'temperature', 'temperature must be a number'],
    [{ model: 'helper', messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature', 'temperature must be <= 2'],
    [{ model: 'helper', messages: [{ role: 'user', content: 'x' }], stop: ['1', '2', '3', '4', '5'] }, 'stop', 'stop must have at most 4 items'],
    [{ model: 'helper', messages: [{ role: 'user', content: 'x' }], metadata: { user_id: 5 } }, 'metadata.user_id', 'metadata.user_id must be a string'],
    [{ model: 'helper', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n', 'n must be 1: only one choice per request is supported'],
    [{ model: 'helper', messages: [{ role: 'system', content: 'x' }] }, 'messages', 'messages must contain at least one message that is not a system message'],
  ])('rejects %j with one clear message', (body, param, message) => {
    const error = rejection(body);
    expect({ status: error.status, param: error.param, message: error.message }).toEqual({ status: 400, param, message });
  });

  it.each([
    ['an empty string', ''],
    ['only whitespace', ' \n '],
    ['null', null],
    ['no parts', []],
    ['an empty text part', [{ type: 'text', text: '' }]],
    ['no content at all', undefined],
  ])('rejects a last user message with %s, naming its content', (_name, content) => {
    const message = content === undefined ? { role: 'user' } : { role: 'user', content };
    const error = rejection({ model: 'helper', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, message, { role: 'system', content: 'late' }] });
    expect({ status: error.status, param: error.param, message: error.message }).toEqual({
      status: 400,
      param: 'messages[2].content',
      message: 'messages[2].content is empty: the last user message must contain text',
    });
  });

  it('accepts an empty user message earlier in the conversation', () => {
    const parsed = parseChatRequest({ model: 'helper', messages: [{ role: 'user', content: '' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] });
    expect(parsed.messages.at(-1)).toEqual({ role: 'user', text: 'c' });
  });

  it('accepts a conversation ending with an assistant answer to continue', () => {
    const parsed = parseChatRequest({ model: 'helper', messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'Once upon' }] });
    expect(parsed.messages.at(-1)).toEqual({ role: 'assistant', text: 'Once upon' });
  });

  it.each([
    ['assistant with tool calls', { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'messages[1] has role assistant'],
    ['tool', { role: 'tool', tool_call_id: 'c1', content: '{}' }, 'messages[1] has role tool (an agent runs its own tools'],
  ])('rejects a conversation ending with a %s message', (_role, last, message) => {
    const error = rejection({ model: 'helper', messages: [{ role: 'user', content: 'a' }, last] });
    expect(error.param).toBe('messages[1].role');
    expect(error.message).toContain('the conversation must end with a user message');
    expect(error.message).toContain(message);
  });

  it('rejects a body that is not an object', () => {
    const error = rejection(['not', 'an', 'object']);
    expect(error.message).toBe('request body must be an object');
    expect(error.param).toBeNull();
  });

  it('rejects image parts with a clear message', () => {
    const error = rejection({
      model: 'helper',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:' } }] }],
    });
    expect(error.message).toBe('image input is not supported yet');
    expect(error.param).toBe('messages[0].content[1]');
  });

  it('rejects tool call arguments that are not a JSON object', () => {
    const error = rejection({
      model: 'helper',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
      ],
    });
    expect(error.param).toBe('messages[1].tool_calls[0].function.arguments');
  });
});
