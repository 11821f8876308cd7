import type { AgentLLMError } from '../errors.ts';
import type { OpenAIErrorBody } from './wire-types.ts';

/** The OpenAI error body `{error: {message, type, param, code}}` of an AgentLLMError. */
export function toErrorBody(error: AgentLLMError): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
