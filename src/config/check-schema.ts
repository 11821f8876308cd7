import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { SourceError } from './definitions.ts';
import { describeSchemaErrors } from './schema-errors.ts';
import type { SchemaProblem } from './schema-errors.ts';
import type { SchemaValidator } from './schema-validators.ts';
import { positionAt } from './source-document.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';

/** Validates a whole document against one of the definition schemas; errors positioned in the file. */
export function checkDocument(source: SourceDocument, validator: SchemaValidator, data: unknown): SourceError[] {
  if (validator.validate(data)) return [];
  const problems = describeSchemaErrors(validator.validate.errors ?? [], validator);
  return toSourceErrors(source, problems);
}

/** Validates the value at `path` against a schema of its own (a toolkit's per-agent config schema). */
export function checkValue(source: SourceDocument, validate: ValidateFunction, data: unknown, path: PathSegment[]): SourceError[] {
  if (validate(data)) return [];
  const problems = describeSchemaErrors(validate.errors ?? [], { id: '', schema: validate.schema as Record<string, unknown> }, path);
  return toSourceErrors(source, problems);
}

export function toSourceErrors(source: SourceDocument, problems: SchemaProblem[]): SourceError[] {
  return problems.map((problem) => ({ file: source.file, ...positionAt(source, problem.path, problem.target), message: problem.message }));
}

/**
 * A map none of whose keys is one of our settings is some other file (a link to /etc/shadow, a
 * stray config): one error that names none of its keys, which are its content. Undefined when at
 * least one key is ours (then unknown keys are named: they are the author's typos).
 */
export function checkForeignDocument(source: SourceDocument, validator: SchemaValidator, what: string): SourceError | undefined {
  const settings = Object.keys(isRecord(validator.schema.properties) ? validator.schema.properties : {});
  const keys = isRecord(source.data) ? Object.keys(source.data) : [];
  if (keys.length === 0 || keys.some((key) => settings.includes(key))) return undefined;
  return { file: source.file, line: 1, col: 1, message: `not ${what}: none of its keys is a setting (${settings.filter((key) => key !== 'version').slice(0, 4).join(', ')}, ...)` };
}

/** An error at the node at `path`. */
export function errorAt(source: SourceDocument, path: PathSegment[], message: string, target: 'key' | 'value' = 'value'): SourceError {
  return { file: source.file, ...positionAt(source, path, target), message };
}

/** A YAML map (as parsed to JS), not a list or a scalar: for checks that must survive a failed schema. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
