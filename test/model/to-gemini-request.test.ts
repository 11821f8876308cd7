import { describe, expect, it } from 'vitest';
import type { ConversationItem } from '../../src/conversation.ts';
import { toGeminiContents, toGeminiTools, toGenerateContentParameters, toGenerationConfig } from '../../src/model/to-gemini-request.ts';

describe('toGeminiContents', () => {
  it('maps user and assistant text to user and model contents', () => {
    const messages: ConversationItem[] = [
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello' },
      { role: 'user', text: 'bye' },
    ];
    expect(toGeminiContents(messages)).toEqual([
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ text: 'hello' }] },
      { role: 'user', parts: [{ text: 'bye' }] },
    ]);
  });

  it('sends function calls with their thought signature and tool results as function responses', () => {
    const messages: ConversationItem[] = [
      { role: 'user', text: 'find issues' },
      { role: 'assistant', text: 'Looking.', toolCalls: [
        { id: 'abc', name: 'search', args: { q: 'x' }, signature: 'sig-1' },
        { id: 'call_0123', name: 'count', args: {} },
      ] },
      { role: 'tool', results: [
        { id: 'abc', name: 'search', result: [1, 2], isError: false },
        { id: 'call_0123', name: 'count', result: 'boom', isError: true },
      ] },
    ];
    expect(toGeminiContents(messages)).toEqual([
      { role: 'user', parts: [{ text: 'find issues' }] },
      { role: 'model', parts: [
        { text: 'Looking.' },
        { functionCall: { id: 'abc', name: 'search', args: { q: 'x' } }, thoughtSignature: 'sig-1' },
        { functionCall: { name: 'count', args: {} } },
      ] },
      { role: 'user', parts: [
        { functionResponse: { id: 'abc', name: 'search', response: { result: [1, 2] } } },
        { functionResponse: { name: 'count', response: { error: 'boom' } } },
      ] },
    ]);
  });

  it('merges consecutive same-role items and drops empty ones so roles alternate', () => {
    const messages: ConversationItem[] = [
      { role: 'user', text: 'a' },
      { role: 'user', text: 'b' },
      { role: 'assistant', text: '' },
      { role: 'assistant', text: '', toolCalls: [{ id: 'x1', name: 't', args: {} }] },
      { role: 'tool', results: [{ id: 'x1', name: 't', result: undefined, isError: false }] },
      { role: 'user', text: 'c' },
    ];
    expect(toGeminiContents(messages)).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ functionCall: { id: 'x1', name: 't', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'x1', name: 't', response: { result: null } } }, { text: 'c' }] },
    ]);
  });
});

describe('toGenerationConfig', () => {
  it('maps every setting to its Gemini name', () => {
    expect(toGenerationConfig({
      temperature: 0.3, maxTokens: 100, topP: 0.9, topK: 40, stop: ['END'], seed: 7,
      presencePenalty: 0.5, frequencyPenalty: -0.5, thinking: { budget: 1024, includeThoughts: true },
    })).toEqual({
      temperature: 0.3, maxOutputTokens: 100, topP: 0.9, topK: 40, stopSequences: ['END'], seed: 7,
      presencePenalty: 0.5, frequencyPenalty: -0.5, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
  });

  it('leaves out what is not set, including a zero thinking budget only when given', () => {
    expect(toGenerationConfig({})).toEqual({});
    expect(toGenerationConfig({ temperature: 0, stop: [], thinking: { budget: 0 } })).toEqual({ temperature: 0, thinkingConfig: { thinkingBudget: 0 } });
  });
});

describe('toGeminiTools', () => {
  it('declares functions with raw JSON Schema and omits tools when there are none', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] };
    expect(toGeminiTools([{ name: 'search', description: 'Search', parameters }, { name: 'now', description: 'Time', parameters: {} }])).toEqual([
      { functionDeclarations: [{ name: 'search', description: 'Search', parametersJsonSchema: parameters }, { name: 'now', description: 'Time' }] },
    ]);
    expect(toGeminiTools([])).toBeUndefined();
  });
});

describe('toGenerateContentParameters', () => {
  it('puts the system instruction, tools and settings into the config', () => {
    const params = toGenerateContentParameters({
      model: 'gemini-2.5-flash', system: 'Be brief.', messages: [{ role: 'user', text: 'q' }],
      tools: [], settings: { temperature: 1 },
    });
    expect(params).toEqual({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'q' }] }],
      config: { temperature: 1, systemInstruction: { parts: [{ text: 'Be brief.' }] } },
    });
  });
});
