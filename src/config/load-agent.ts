import type { TemplateDelegate } from 'handlebars';
import { checkDocument, checkForeignDocument, checkValue, errorAt, isRecord } from './check-schema.ts';
import type { AgentDefinition, LoadedAgent, LoadedToolkit, SourceError, ToolkitUse } from './definitions.ts';
import { compileConfigSchema, getSchemaValidator } from './schema-validators.ts';
import { parseSource } from './source-document.ts';
import type { PathSegment, SourceDocument } from './source-document.ts';
import { SAMPLE_INSTRUCTIONS_DATA } from './template-checks.ts';
import { compileTemplate, describeTemplateFailures } from './templates.ts';

/** An agent file read from disk. `path` is absolute; `file` is the path shown in errors. */
export interface AgentFile {
  path: string;
  file: string;
  text: string;
}

/** The toolkits agents may name: valid ones, and ones whose manifest has errors (by name -> file). */
export interface ToolkitCatalog {
  loaded: ReadonlyMap<string, LoadedToolkit>;
  broken: ReadonlyMap<string, string>;
}

export interface AgentResult {
  /** The agent's name when it is a string (for duplicate checks), and the source to point at it. */
  name?: string;
  source?: SourceDocument;
  agent?: LoadedAgent;
  errors: SourceError[];
}

export const DEFAULTS = { provider: 'gemini', modelId: 'gemini-2.5-flash', historyRuns: 10, maxSteps: 10 } as const;

const LISTS = ['required', 'optional'] as const;

/** Validates one agent file against the schema and the toolkits; returns the loaded agent when clean. */
export function loadAgent(input: AgentFile, catalog: ToolkitCatalog): AgentResult {
  const parsed = parseSource(input.file, input.text);
  if (!parsed.source) return { errors: parsed.errors };
  const source = parsed.source;
  const foreign = checkForeignDocument(source, getSchemaValidator('agent'), 'an agent file');
  if (foreign) return { errors: [foreign] };
  const data = source.data as AgentDefinition;
  const errors = checkDocument(source, getSchemaValidator('agent'), data);
  const toolkits = checkToolkits(source, data, catalog, errors);
  if (toolkits.length > 0 && typeof data.max_steps === 'number' && data.max_steps < 2) {
    errors.push(errorAt(source, ['max_steps'], `max_steps: ${data.max_steps} leaves no step for tool calls (the last model call must answer in text); an agent with toolkits needs at least 2`));
  }
  const instructions = compileInstructions(source, data, errors);
  const name = typeof data.name === 'string' ? data.name : undefined;
  if (errors.length > 0 || !instructions) return { name, source, errors };
  return { name, source, errors, agent: toLoadedAgent(input.path, data, instructions, toolkits) };
}

function toLoadedAgent(path: string, definition: AgentDefinition, instructions: TemplateDelegate, toolkits: ToolkitUse[]): LoadedAgent {
  return {
    name: definition.name,
    description: definition.description,
    file: path,
    definition,
    model: { provider: definition.model?.provider ?? DEFAULTS.provider, id: definition.model?.id ?? DEFAULTS.modelId },
    instructions,
    toolkits,
    historyRuns: definition.history?.runs ?? DEFAULTS.historyRuns,
    maxSteps: definition.max_steps ?? DEFAULTS.maxSteps,
    ...(definition.tool_timeout_ms === undefined ? {} : { toolTimeoutMs: definition.tool_timeout_ms }),
  };
}

function compileInstructions(source: SourceDocument, data: AgentDefinition, errors: SourceError[]): TemplateDelegate | undefined {
  const value: unknown = data.instructions;
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  if (!parts) return undefined;
  const result = compileTemplate(parts.join('\n\n'), SAMPLE_INSTRUCTIONS_DATA);
  if (result.ok) return result.template;
  errors.push(...describeTemplateFailures(source, ['instructions'], result.failures));
  return undefined;
}

function checkToolkits(source: SourceDocument, data: AgentDefinition, catalog: ToolkitCatalog, errors: SourceError[]): ToolkitUse[] {
  const uses: ToolkitUse[] = [];
  const seen = new Map<string, string>();
  for (const list of LISTS) {
    const refs: unknown = data.toolkits?.[list];
    if (!Array.isArray(refs)) continue;
    for (const [index, ref] of refs.entries()) {
      const use = checkToolkitRef(source, ref, [`toolkits`, list, index], catalog, errors);
      if (!use) continue;
      const where = `toolkits.${list}`;
      const earlier = seen.get(use.name);
      if (earlier) {
        const twice = earlier === where ? `twice in ${where}` : `in both ${earlier} and ${where}`;
        errors.push(errorAt(source, refNamePath(ref, ['toolkits', list, index]), `toolkit '${use.name}' is listed ${twice}`));
        continue;
      }
      seen.set(use.name, where);
      uses.push({ ...use, required: list === 'required' });
    }
  }
  return uses;
}

function checkToolkitRef(source: SourceDocument, ref: unknown, path: PathSegment[], catalog: ToolkitCatalog, errors: SourceError[]): Omit<ToolkitUse, 'required'> | undefined {
  const name = typeof ref === 'string' ? ref : isRecord(ref) && typeof ref.name === 'string' ? ref.name : undefined;
  if (name === undefined) return undefined;
  const config = isRecord(ref) && isRecord(ref.config) ? ref.config : {};
  const namePath = refNamePath(ref, path);
  const brokenFile = catalog.broken.get(name);
  if (brokenFile) {
    errors.push(errorAt(source, namePath, `toolkit '${name}' has errors (see ${brokenFile})`));
    return undefined;
  }
  const toolkit = catalog.loaded.get(name);
  if (!toolkit) {
    errors.push(errorAt(source, namePath, `unknown toolkit '${name}' (${knownToolkits(catalog)})`));
    return undefined;
  }
  errors.push(...checkToolkitConfig(source, toolkit, ref, config, path));
  return { name, config };
}

function checkToolkitConfig(source: SourceDocument, toolkit: LoadedToolkit, ref: unknown, config: Record<string, unknown>, path: PathSegment[]): SourceError[] {
  const schema = toolkit.manifest.config;
  const given = isRecord(ref) && 'config' in ref;
  if (!schema) {
    return given ? [errorAt(source, [...path, 'config'], `toolkit '${toolkit.name}' takes no config (its toolkit.yaml declares none)`, 'key')] : [];
  }
  const validate = compileConfigSchema(schema);
  if (validate instanceof Error) return [];
  return checkValue(source, validate, config, [...path, 'config']);
}

function refNamePath(ref: unknown, path: PathSegment[]): PathSegment[] {
  return isRecord(ref) ? [...path, 'name'] : path;
}

function knownToolkits(catalog: ToolkitCatalog): string {
  const names = [...catalog.loaded.keys(), ...catalog.broken.keys()].sort();
  return names.length > 0 ? `known toolkits: ${names.join(', ')}` : 'no toolkits found';
}
