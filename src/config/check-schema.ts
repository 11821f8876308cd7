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

/** An error at the node at `path`. */
export function errorAt(source: SourceDocument, path: PathSegment[], message: string, target: 'key' | 'value' = 'value'): SourceError {
  return { file: source.file, ...positionAt(source, path, target), message };
}

/** A YAML map (as parsed to JS), not a list or a scalar: for checks that must survive a failed schema. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
