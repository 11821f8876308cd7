import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { LoadedToolkit, SourceError } from '../config/definitions.ts';
import { displayPath } from '../config/load-definitions.ts';
import type { ToolkitPlugin } from '../toolkit/plugin.ts';

/** Imports a toolkit's index file and returns its default export (checked by the caller). */
export type PluginImporter = (entry: string) => Promise<unknown>;

const NOT_A_PLUGIN = 'index.ts must default-export a toolkit plugin (buildTools, validateCredential)';

type ImportOutcome = { plugin: ToolkitPlugin } | { error: SourceError };

/** Import results by entry, with the file version they were imported from. */
export type PluginCache = Map<string, { version: string; outcome: ImportOutcome }>;

export interface ImportedPlugins {
  plugins: Map<string, ToolkitPlugin>;
  errors: SourceError[];
}

const requireFromHere = createRequire(import.meta.url);

/**
 * The default importer: native ESM import with a cache-busting query, so an edited index.ts is
 * imported afresh. (`?v=` is stripped by Vite/vitest, hence `?version=`.) The CommonJS cache entry
 * is dropped too, for a toolkit outside a `"type": "module"` package, which tsx loads as CommonJS.
 */
export async function importPluginModule(entry: string): Promise<unknown> {
  const version = await fileVersion(entry);
  delete requireFromHere.cache[entry];
  const module = (await import(`${pathToFileURL(entry).href}?version=${version}`)) as { default?: unknown };
  return module.default;
}

/**
 * Imports each toolkit's plugin, reusing the cached result while its index file is unchanged
 * (same mtime and size). Files that index.ts imports are not re-imported: edit index.ts to pick them up.
 */
export async function importPlugins(toolkits: readonly LoadedToolkit[], cache: PluginCache, importer: PluginImporter): Promise<ImportedPlugins> {
  const outcomes = await Promise.all(toolkits.map((toolkit) => importCached(toolkit.entry, cache, importer)));
  const result: ImportedPlugins = { plugins: new Map(), errors: [] };
  for (const [index, outcome] of outcomes.entries()) {
    if ('plugin' in outcome) result.plugins.set(toolkits[index]!.entry, outcome.plugin);
    else result.errors.push(outcome.error);
  }
  const entries = new Set(toolkits.map((toolkit) => toolkit.entry));
  for (const entry of cache.keys()) if (!entries.has(entry)) cache.delete(entry);
  return result;
}

async function importCached(entry: string, cache: PluginCache, importer: PluginImporter): Promise<ImportOutcome> {
  const version = await fileVersion(entry).catch(() => 'missing');
  const cached = cache.get(entry);
  if (cached?.version === version) return cached.outcome;
  const outcome = await importOne(entry, importer);
  cache.set(entry, { version, outcome });
  return outcome;
}

async function importOne(entry: string, importer: PluginImporter): Promise<ImportOutcome> {
  try {
    const plugin = asPlugin(await importer(entry));
    return plugin ? { plugin } : { error: { file: displayPath(entry), line: 1, col: 1, message: NOT_A_PLUGIN } };
  } catch (error) {
    return { error: describeImportError(entry, error) };
  }
}

/** The plugin, also when a CommonJS-compiled module wraps it as `{ default: plugin }`. */
function asPlugin(value: unknown): ToolkitPlugin | undefined {
  if (isPlugin(value)) return value;
  const inner = (value as { default?: unknown } | null | undefined)?.default;
  return isPlugin(inner) ? inner : undefined;
}

function isPlugin(value: unknown): value is ToolkitPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.buildTools === 'function' && typeof candidate.validateCredential === 'function';
}

/**
 * Points the error at index.ts's line and column when the message or stack names them: esbuild's
 * syntax errors (`file:line:col: ERROR: reason`, 0-based column) or a top-level throw's stack.
 */
function describeImportError(entry: string, error: unknown): SourceError {
  const { message, stack } = readError(error);
  const at = `${escapeRegExp(entry)}(?:\\?[^:\\s]*)?:(\\d+):(\\d+)`;
  const syntax = new RegExp(`${at}: ERROR: (.*)`).exec(message);
  const thrown = syntax ? undefined : new RegExp(at).exec(stack);
  const where = syntax ?? thrown;
  return {
    file: displayPath(entry),
    line: where ? Number(where[1]) : 1,
    col: where ? Number(where[2]) + (syntax ? 1 : 0) : 1,
    message: `index.ts could not be imported: ${syntax?.[3] ?? firstLine(message)}`,
  };
}

/** Message and stack of anything thrown (errors from another realm fail instanceof Error). */
function readError(error: unknown): { message: string; stack: string } {
  const fields = typeof error === 'object' && error !== null ? (error as { message?: unknown; stack?: unknown }) : {};
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  return { message, stack: typeof fields.stack === 'string' ? fields.stack : '' };
}

/** Changes when the file is written: mtime (coarse on some file systems) plus size. */
async function fileVersion(path: string): Promise<string> {
  const info = await stat(path, { bigint: true });
  return `${info.mtimeNs}-${info.size}`;
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
