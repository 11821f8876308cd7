/**
 * Pure conversion of a ModelRequest into @google/genai parameters. The SDK moves the flat config
 * fields into the wire's `generationConfig`, `systemInstruction` and `tools`.
 */
import type { Content, FunctionCallingConfigMode, FunctionDeclaration, GenerateContentConfig, GenerateContentParameters, Part, Tool } from '@google/genai';
import type { ConversationItem, ToolCall, ToolResult } from '../conversation.ts';
import type { GenerationSettings, ModelRequest, ToolDeclaration } from './model-client.ts';

/** Ids we invent for calls that came without one; never sent back to Gemini. */
export const GENERATED_CALL_ID_PREFIX = 'call_';

export function toGenerateContentParameters(request: ModelRequest, abortSignal?: AbortSignal): GenerateContentParameters {
  const config = toGenerationConfig(request.settings);
  if (request.system) config.systemInstruction = { parts: [{ text: request.system }] };
  const tools = toGeminiTools(request.tools);
  if (tools) config.tools = tools;
  // FunctionCallingConfigMode.NONE, spelled out: this module imports only the SDK's types.
  if (tools && request.toolChoice === 'none') config.toolConfig = { functionCallingConfig: { mode: 'NONE' as FunctionCallingConfigMode } };
  if (abortSignal) config.abortSignal = abortSignal;
  return { model: request.model, contents: toGeminiContents(request.messages), config };
}

/** Stands first when a conversation opens with the assistant (a greeting): Gemini rejects a model-first history. */
export const CONVERSATION_START = '(start of the conversation)';

/**
 * Conversation -> Gemini contents, consecutive same-role contents merged (Gemini wants alternation)
 * and a user turn first (Gemini answers 400 to contents that open with a model turn).
 */
export function toGeminiContents(messages: ConversationItem[]): Content[] {
  const contents: Content[] = [];
  for (const item of messages) {
    const role = item.role === 'assistant' ? 'model' : 'user';
    const parts = toParts(item);
    if (parts.length === 0) continue;
    const previous = contents[contents.length - 1];
    if (previous?.role === role) previous.parts!.push(...parts);
    else contents.push({ role, parts });
  }
  if (contents[0]?.role === 'model') contents.unshift({ role: 'user', parts: [{ text: CONVERSATION_START }] });
  return contents;
}

function toParts(item: ConversationItem): Part[] {
  if (item.role === 'user') return item.text ? [{ text: item.text }] : [];
  if (item.role === 'tool') return item.results.map(toFunctionResponsePart);
  const parts: Part[] = item.text ? [{ text: item.text }] : [];
  for (const call of item.toolCalls ?? []) parts.push(toFunctionCallPart(call));
  return parts;
}

function toFunctionCallPart(call: ToolCall): Part {
  const part: Part = { functionCall: { ...upstreamId(call.id), name: call.name, args: call.args } };
  if (call.signature) part.thoughtSignature = call.signature;
  return part;
}

function toFunctionResponsePart(result: ToolResult): Part {
  const response = result.isError ? { error: result.result ?? null } : { result: result.result ?? null };
  return { functionResponse: { ...upstreamId(result.id), name: result.name, response } };
}

function upstreamId(id: string): { id?: string } {
  return id && !id.startsWith(GENERATED_CALL_ID_PREFIX) ? { id } : {};
}

/** GenerationSettings -> the SDK's flat config (only the fields that are set). */
export function toGenerationConfig(settings: GenerationSettings): GenerateContentConfig {
  const config: GenerateContentConfig = {};
  if (settings.temperature !== undefined) config.temperature = settings.temperature;
  if (settings.maxTokens !== undefined) config.maxOutputTokens = settings.maxTokens;
  if (settings.topP !== undefined) config.topP = settings.topP;
  if (settings.topK !== undefined) config.topK = settings.topK;
  if (settings.stop !== undefined && settings.stop.length > 0) config.stopSequences = settings.stop;
  if (settings.seed !== undefined) config.seed = settings.seed;
  if (settings.presencePenalty !== undefined) config.presencePenalty = settings.presencePenalty;
  if (settings.frequencyPenalty !== undefined) config.frequencyPenalty = settings.frequencyPenalty;
  if (settings.responseFormat) {
    config.responseMimeType = 'application/json';
    if (settings.responseFormat.schema) config.responseJsonSchema = settings.responseFormat.schema;
  }
  const thinking = settings.thinking;
  if (thinking && (thinking.budget !== undefined || thinking.includeThoughts !== undefined)) {
    config.thinkingConfig = {};
    if (thinking.budget !== undefined) config.thinkingConfig.thinkingBudget = thinking.budget;
    if (thinking.includeThoughts !== undefined) config.thinkingConfig.includeThoughts = thinking.includeThoughts;
  }
  return config;
}

/** Tool declarations -> one Gemini tool of function declarations with raw JSON Schema; undefined when none. */
export function toGeminiTools(tools: ToolDeclaration[]): Tool[] | undefined {
  if (tools.length === 0) return undefined;
  return [{ functionDeclarations: tools.map(toFunctionDeclaration) }];
}

function toFunctionDeclaration(tool: ToolDeclaration): FunctionDeclaration {
  const declaration: FunctionDeclaration = { name: tool.name, description: tool.description };
  if (Object.keys(tool.parameters).length > 0) declaration.parametersJsonSchema = tool.parameters;
  return declaration;
}
