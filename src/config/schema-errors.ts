import { validateBranch } from './schema-validators.ts';
import type { ErrorObject } from './schema-validators.ts';
import type { PathSegment, Target } from './source-document.ts';

/** One schema violation, in words a YAML author understands, pointed at a node. */
export interface SchemaProblem {
  path: PathSegment[];
  target: Target;
  message: string;
}

type Schema = Record<string, unknown>;

/**
 * Turns ajv's errors (allErrors, verbose) into one clear problem per node. A failing oneOf is
 * collapsed: when no branch has the value's type, one "must be X or Y" message; otherwise the
 * errors of the branch the author evidently meant.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], root: { id: string; schema: Schema }, base: PathSegment[] = []): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  let rest = [...errors];
  const oneOfs = rest.filter((e) => e.keyword === 'oneOf').sort((a, b) => a.instancePath.length - b.instancePath.length);
  for (const oneOf of oneOfs) {
    if (!rest.includes(oneOf)) continue;
    rest = rest.filter((e) => !isAtOrBelow(e.instancePath, oneOf.instancePath));
    problems.push(...describeOneOf(oneOf, root, [...base, ...toSegments(oneOf.instancePath)]));
  }
  for (const error of withoutMisspelledRequired(rest)) problems.push(describeError(error, [...base, ...toSegments(error.instancePath)]));
  return dedupe(problems);
}

/** A missing required key that an unknown key next to it evidently misspells: only the "did you mean" error is kept. */
function withoutMisspelledRequired(errors: ErrorObject[]): ErrorObject[] {
  const meant = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}|${findCloseName(String(e.params.additionalProperty), allowedKeys(e))}`),
  );
  return errors.filter((e) => !(e.keyword === 'required' && meant.has(`${e.instancePath}|${String(e.params.missingProperty)}`)));
}

function allowedKeys(error: ErrorObject): string[] {
  return Object.keys((error.parentSchema?.properties as Schema | undefined) ?? {});
}

function describeOneOf(error: ErrorObject, root: { id: string; schema: Schema }, path: PathSegment[]): SchemaProblem[] {
  const branches = ((error.schema as Schema[]) ?? []).map((branch) => resolveRef(branch, root.schema));
  const data = error.data;
  let candidates = branches.map((_, i) => i).filter((i) => typeMatches(branches[i]!, data));
  if (candidates.length === 0) {
    const kinds = unique(branches.map(describeSchemaKind));
    return [{ path, target: 'value', message: `${label(path)} must be ${joinOr(kinds)}` }];
  }
  if (candidates.length > 1) {
    const discriminated = candidates.filter((i) => constsMatch(branches[i]!, data));
    if (discriminated.length === 0) {
      const problem = describeDiscriminator(candidates.map((i) => branches[i]!), data, path);
      if (problem) return [problem];
    }
    if (discriminated.length > 0) candidates = discriminated;
  }
  const pointer = findPointer(root.schema, error.schema);
  if (!root.id || pointer === undefined) return [{ path, target: 'value', message: `${label(path)} must match exactly one of the allowed forms` }];
  const results = candidates.map((i) => validateBranch(`${root.id}#${pointer}/${i}`, data));
  const best = results.reduce((a, b) => (b.length < a.length ? b : a));
  return describeSchemaErrors(best, root, path);
}

function describeError(error: ErrorObject, path: PathSegment[]): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  const got = ` (got ${showValue(error.data)})`;
  const name = label(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { path: [...path, key], target: 'key', message: `unknown property '${key}' ${suggest(key, allowedKeys(error))}` };
    }
    case 'required': {
      const where = path.length > 0 ? ` in ${name}` : '';
      return { path, target: 'value', message: `missing required property '${String(params.missingProperty)}'${where}` };
    }
    case 'type':
      return { path, target: 'value', message: `${name} must be ${describeType(String(params.type))}${got}` };
    case 'pattern':
      return { path, target: 'value', message: `${name} must match /${String(params.pattern)}/${got}` };
    case 'enum':
      return { path, target: 'value', message: `${name} must be one of: ${(params.allowedValues as unknown[]).map(showValue).join(', ')}${got}` };
    case 'const':
      return { path, target: 'value', message: `${name} must be ${showValue(params.allowedValue)}${got}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, target: 'value', message: `${name} must be ${String(params.comparison)} ${String(params.limit)}${got}` };
    case 'minLength':
      return { path, target: 'value', message: params.limit === 1 ? `${name} must not be empty` : `${name} must be at least ${String(params.limit)} characters long` };
    case 'minItems':
      return { path, target: 'value', message: `${name} must have at least ${plural(Number(params.limit), 'item')}` };
    case 'maxItems':
      return { path, target: 'value', message: `${name} must have at most ${plural(Number(params.limit), 'item')}` };
    default:
      return { path, target: 'value', message: `${name} ${error.message ?? 'is invalid'}` };
  }
}

/** Human label of a path: `model.temperature`, `toolkits.required[0]`. */
export function label(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the file';
  return path.map((s, i) => (/^\d+$/.test(String(s)) ? `[${s}]` : i === 0 ? String(s) : `.${s}`)).join('');
}

function describeDiscriminator(branches: Schema[], data: unknown, path: PathSegment[]): SchemaProblem | undefined {
  const key = Object.keys(constsOf(branches[0]!)).find((k) => branches.every((b) => k in constsOf(b)));
  if (!key) return undefined;
  const allowed = branches.map((b) => showValue(constsOf(b)[key]));
  const value = (data as Schema)[key];
  if (value === undefined) return { path, target: 'value', message: `missing required property '${key}' in ${label(path)} (one of: ${allowed.join(', ')})` };
  return { path: [...path, key], target: 'value', message: `${label([...path, key])} must be one of: ${allowed.join(', ')} (got ${showValue(value)})` };
}

function constsOf(schema: Schema): Record<string, unknown> {
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  return Object.fromEntries(Object.entries(properties).filter(([, p]) => 'const' in p).map(([k, p]) => [k, p.const]));
}

function constsMatch(schema: Schema, data: unknown): boolean {
  if (!isObject(data)) return true;
  return Object.entries(constsOf(schema)).every(([k, v]) => data[k] === v);
}

function typeMatches(schema: Schema, data: unknown): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === jsonType(data) || (t === 'number' && jsonType(data) === 'integer'));
}

function jsonType(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'array';
  if (typeof data === 'number') return Number.isInteger(data) ? 'integer' : 'number';
  return typeof data;
}

function describeSchemaKind(schema: Schema): string {
  const type = String(schema.type ?? 'value');
  if (type === 'array') {
    const items = schema.items as Schema | undefined;
    return items?.type ? `a list of ${String(items.type)}s` : 'a list';
  }
  if (type === 'object') return 'a map';
  return describeType(type);
}

function describeType(type: string): string {
  const words: Record<string, string> = { array: 'a list', object: 'a map', integer: 'an integer (whole number)', boolean: 'true or false', null: 'empty' };
  return words[type] ?? `a ${type}`;
}

/** JSON pointer of `target` inside `root`, found by identity (ajv reports a ref'd schema's paths relative to the ref). */
function findPointer(root: unknown, target: unknown, pointer = ''): string | undefined {
  if (root === target) return pointer;
  if (typeof root !== 'object' || root === null) return undefined;
  for (const [key, child] of Object.entries(root)) {
    const found = findPointer(child, target, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function resolveRef(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  const target = ref.slice(2).split('/').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), root);
  return isObject(target) ? resolveRef(target, root) : schema;
}

function findCloseName(key: string, allowed: string[]): string | undefined {
  return allowed.find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= Math.max(1, Math.floor(name.length / 4)));
}

function suggest(key: string, allowed: string[]): string {
  const close = findCloseName(key, allowed);
  if (close) return `(did you mean '${close}'?)`;
  return allowed.length > 0 ? `(allowed: ${allowed.join(', ')})` : '(no properties allowed here)';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

function toSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isAtOrBelow(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a map';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join('/')}|${p.target}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
