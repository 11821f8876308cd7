import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The ajv instance and the compiled validators of the two definition schemas. Compiled once per
 * process (compiling is the slow part of ajv; validating is cheap).
 */

export type SchemaKind = 'agent' | 'toolkit';

export interface SchemaValidator {
  kind: SchemaKind;
  /** `$id` of the root schema, so a failing oneOf's branches can be addressed as `${id}${schemaPath}/<i>`. */
  id: string;
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

type AjvInstance = InstanceType<typeof Ajv2020.default>;

let ajvInstance: AjvInstance | undefined;
const validators = new Map<SchemaKind, SchemaValidator>();
const branchValidators = new Map<string, ValidateFunction>();
const configValidators = new WeakMap<object, ValidateFunction | Error>();

const SCHEMA_FILES: Record<SchemaKind, string> = {
  agent: '../../schemas/agent.schema.json',
  toolkit: '../../schemas/toolkit.schema.json',
};

function getAjv(): AjvInstance {
  ajvInstance ??= new Ajv2020.default({ allErrors: true, verbose: true, strict: false });
  return ajvInstance;
}

function readSchema(kind: SchemaKind): Record<string, unknown> {
  const path = fileURLToPath(new URL(SCHEMA_FILES[kind], import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** The schema's pattern for `name` (the same rule `agentllm new` checks before writing a file). */
export function readNamePattern(kind: SchemaKind): RegExp {
  const properties = readSchema(kind).properties as Record<string, { pattern: string }>;
  return new RegExp(properties.name!.pattern);
}

/** The validator of agent files or toolkit manifests, compiled on first use. */
export function getSchemaValidator(kind: SchemaKind): SchemaValidator {
  let entry = validators.get(kind);
  if (!entry) {
    const schema = readSchema(kind);
    const validate = getAjv().compile(schema);
    entry = { kind, id: String(schema.$id ?? ''), schema, validate };
    validators.set(kind, entry);
  }
  return entry;
}

/** Validates `data` against one branch of a oneOf (`ref` = schema id + JSON pointer), for clearer errors. */
export function validateBranch(ref: string, data: unknown): ErrorObject[] {
  let validate = branchValidators.get(ref);
  if (!validate) {
    const found = getAjv().getSchema(ref);
    if (!found) return [];
    validate = found;
    branchValidators.set(ref, validate);
  }
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/** Compiles a toolkit manifest's `config` schema (cached per manifest object); an Error when it is no valid schema. */
export function compileConfigSchema(schema: Record<string, unknown>): ValidateFunction | Error {
  let entry = configValidators.get(schema);
  if (!entry) {
    try {
      const { $id: _ignored, ...rest } = schema;
      entry = getAjv().compile(rest);
    } catch (error) {
      entry = error instanceof Error ? error : new Error(String(error));
    }
    configValidators.set(schema, entry);
  }
  return entry;
}

export type { ErrorObject };
