import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { invalidRequest, type AgentLLMError } from '../errors.ts';
import type { ChatCompletionRequest } from './chat-completion-request.generated.ts';

/**
 * Validates a chat completion body against schemas/chat-completion-request.schema.json (compiled
 * once) and turns ajv's errors into ONE clear 400 that names the offending parameter.
 */

const SCHEMA_PATH = '../../schemas/chat-completion-request.schema.json';

let compiled: ValidateFunction | undefined;

/** Compiles the validator now (≈0.25 s), so that the first request does not pay for it. */
export function compileChatRequestValidator(): void {
  getValidator();
}

function getValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL(SCHEMA_PATH, import.meta.url)), 'utf8'));
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Returns the body typed, or throws a 400 AgentLLMError with `param` set. */
export function validateChatRequest(body: unknown): ChatCompletionRequest {
  const validate = getValidator();
  if (validate(body)) return body as ChatCompletionRequest;
  throw describeErrors([...(validate.errors ?? [])]);
}

/** `/messages/2/role` -> `messages[2].role` */
export function toParam(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((param, segment) => (/^\d+$/.test(segment) ? `${param}[${segment}]` : param ? `${param}.${segment}` : segment), '');
}

function paramOf(error: ErrorObject): string {
  const base = toParam(error.instancePath);
  if (error.keyword !== 'required') return base;
  const missing = String((error.params as { missingProperty: string }).missingProperty);
  return base ? `${base}.${missing}` : missing;
}

function depthOf(error: ErrorObject): number {
  const depth = error.instancePath.split('/').length;
  return error.keyword === 'required' ? depth + 1 : depth;
}

/** Picks the most specific error: the deepest one, a constraint over a type mismatch of an anyOf branch. */
function describeErrors(errors: ErrorObject[]): AgentLLMError {
  const relevant = errors.filter((error) => error.keyword !== 'anyOf');
  const maxDepth = Math.max(...relevant.map(depthOf));
  const deepest = relevant.filter((error) => depthOf(error) === maxDepth);
  const constraint = deepest.find((error) => error.keyword !== 'type');
  if (constraint) return invalidRequest(describeError(constraint), paramOf(constraint) || null);
  const first = deepest[0];
  if (!first) return invalidRequest('request body is invalid');
  const types = deepest.flatMap((error) => [(error.params as { type: string | string[] }).type].flat());
  return invalidRequest(describeTypes(paramOf(first), types), paramOf(first) || null);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function describeTypes(param: string, types: string[]): string {
  const names = [...new Set(types.filter((type) => type !== 'null'))].map((type) => TYPE_NAMES[type] ?? type);
  if (!param) return `request body must be ${names.join(' or ')}`;
  return `${param} must be ${names.join(' or ')}`;
}

function describeError(error: ErrorObject): string {
  const param = paramOf(error) || 'request body';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `Missing required parameter: '${param}'.`;
    case 'enum':
      return `${param} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'minItems':
      return params.limit === 1 ? `${param} must not be empty` : `${param} must have at least ${params.limit} items`;
    case 'maxItems':
      return `${param} must have at most ${params.limit} items`;
    case 'minLength':
      return params.limit === 1 ? `${param} must not be empty` : `${param} must be at least ${params.limit} characters`;
    case 'minimum':
    case 'maximum':
      return `${param} must be ${params.comparison} ${params.limit}`;
    default:
      return `${param} ${error.message ?? 'is invalid'}`;
  }
}
