import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkDetectGroups } from './check-detect-groups.ts';
import { checkDocument, checkForeignDocument, errorAt, isRecord } from './check-schema.ts';
import type { LoadedToolkit, SourceError, ToolkitManifest, ToolkitTemplates } from './definitions.ts';
import { compileConfigSchema, getSchemaValidator } from './schema-validators.ts';
import { parseSource } from './source-document.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';
import { sampleToolkitData } from './template-checks.ts';
import { compileTemplate, describeTemplateFailures } from './templates.ts';

/** A toolkit.yaml read from disk. `dir` and `path` are absolute; `file` is the path shown in errors. */
export interface ToolkitFile {
  dir: string;
  path: string;
  file: string;
  text: string;
}

export interface ToolkitResult {
  name: string;
  toolkit?: LoadedToolkit;
  errors: SourceError[];
}

const TEMPLATE_NAMES = ['prompt', 'confirmation', 'failure', 'revoked', 'instructions'] as const;

/** Validates one toolkit manifest: schema, name = folder, templates, regexes, config schema, entry file. */
export async function loadToolkit(input: ToolkitFile): Promise<ToolkitResult> {
  const name = basename(input.dir);
  const parsed = parseSource(input.file, input.text, 'toolkit manifest');
  if (!parsed.source) return { name, errors: parsed.errors };
  const source = parsed.source;
  const foreign = checkForeignDocument(source, getSchemaValidator('toolkit'), 'a toolkit manifest');
  if (foreign) return { name, errors: [foreign] };
  const manifest = source.data as ToolkitManifest;
  // Every check runs even when the schema fails, each on the parts that have the right shape, so all errors show in one pass.
  const errors = checkDocument(source, getSchemaValidator('toolkit'), manifest);
  if (typeof manifest.name === 'string' && manifest.name !== name) {
    errors.push(errorAt(source, ['name'], `toolkit name '${manifest.name}' must equal its folder name '${name}'`));
  }
  const templates = compileTemplates(source, manifest, errors);
  errors.push(...checkPatterns(source, manifest), ...checkDetectGroups(source, manifest));
  if (isRecord(manifest.config)) {
    const compiled = compileConfigSchema(manifest.config);
    if (compiled instanceof Error) errors.push(errorAt(source, ['config'], `config is not a valid JSON Schema: ${compiled.message}`));
  }
  const entry = await findEntry(input.dir);
  if (!entry) errors.push({ file: input.file, line: 1, col: 1, message: `missing plugin code: ${join(input.file, '..', 'index.ts')} (or index.js) must exist next to toolkit.yaml` });
  if (errors.length > 0 || !entry || !templates) return { name, errors };
  const toolkit = { name, title: manifest.title ?? name, dir: input.dir, file: input.path, entry, manifest, templates };
  return { name, toolkit, errors };
}

function compileTemplates(source: SourceDocument, manifest: ToolkitManifest, errors: SourceError[]): ToolkitTemplates | undefined {
  const compiled: Partial<ToolkitTemplates> = {};
  let ok = true;
  const given: Record<string, unknown> = isRecord(manifest.templates) ? manifest.templates : {};
  const toolkit = { name: String(manifest.name), title: typeof manifest.title === 'string' ? manifest.title : String(manifest.name) };
  for (const key of TEMPLATE_NAMES) {
    const text = given[key];
    if (typeof text !== 'string') continue;
    const result = compileTemplate(text, sampleToolkitData(toolkit));
    if (result.ok) {
      compiled[key] = result.template;
      continue;
    }
    ok = false;
    errors.push(...describeTemplateFailures(source, ['templates', key], result.failures));
  }
  return ok ? (compiled as ToolkitTemplates) : undefined;
}

function checkPatterns(source: SourceDocument, manifest: ToolkitManifest): SourceError[] {
  const lists: [PathSegment[], unknown][] = [
    [['credential', 'detect'], isRecord(manifest.credential) ? manifest.credential.detect : undefined],
    [['features', 'patterns'], isRecord(manifest.features) ? manifest.features.patterns : undefined],
    [['revoke'], manifest.revoke],
  ];
  const errors: SourceError[] = [];
  for (const [path, patterns] of lists) {
    for (const [index, pattern] of (Array.isArray(patterns) ? patterns : []).entries()) {
      if (typeof pattern !== 'string') continue;
      const problem = regexProblem(pattern);
      if (problem) errors.push(errorAt(source, [...path, index], `${path.join('.')}[${index}] is not a valid regular expression: ${problem}`));
    }
  }
  return errors;
}

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'i');
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^Invalid regular expression: /, '');
  }
}

/** index.ts or index.js, a regular file (a FIFO there would stall the import, and with it every reload). */
async function findEntry(dir: string): Promise<string | undefined> {
  for (const candidate of ['index.ts', 'index.js']) {
    const path = join(dir, candidate);
    if (await stat(path).then((info) => info.isFile(), () => false)) return path;
  }
  return undefined;
}
