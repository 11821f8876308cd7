// The OpenAI wire format: request parsing and response building, pure functions.
export { parseChatRequest, toSettings, type ParsedChatRequest } from './parse-chat-request.ts';
export { validateChatRequest, compileChatRequestValidator } from './validate-chat-request.ts';
export { toCompletion, createCompletionId, toWireUsage, type CompletionInput } from './to-completion.ts';
export { toChunk, type ChunkBase, type ChunkPart } from './to-chunk.ts';
export { toErrorBody } from './to-error-body.ts';
export { formatSSEData, SSE_DONE, SSE_KEEPALIVE } from './sse.ts';
export type * from './wire-types.ts';
export type { ChatCompletionRequest } from './chat-completion-request.generated.ts';
