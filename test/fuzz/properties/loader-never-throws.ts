/**
 * One bad definition file never takes anything else down: whatever bytes sit in agent files and a
 * toolkit.yaml, the loader returns `{agents, toolkits, errors}` (it never throws), every error
 * points inside the file it names, each bad file has an error of its own, and the good agents
 * beside them still load.
 */
import fc from 'fast-check';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDefinitions } from '../../../src/config/load-definitions.ts';
import type { SourceError } from '../../../src/config/definitions.ts';
import type { FuzzProperty } from '../harness/fuzz-property.ts';

export interface LoaderInput {
  agentFiles: Buffer[];
  /** The manifest of the toolkit folder `broken`, or none. */
  toolkit?: Buffer;
}

interface Context {
  root: string;
  round: number;
  /** Every fuzzed agent file must be refused (not loaded), e.g. one over the size cap. */
  mustRefuse: boolean;
}

export interface LoaderFiles {
  agent: fc.Arbitrary<Buffer>;
  toolkit?: fc.Arbitrary<Buffer>;
  /** Files per input, at most (default 3). */
  maxFiles?: number;
  mustRefuse?: boolean;
}

const FIXTURE_TOOLKITS = resolve(import.meta.dirname, '../../fixtures/config/toolkits');
const GOOD_AGENTS: Record<string, string> = {
  'aaa-good.yaml': 'name: aaa-good\ndescription: Always loads.\ninstructions: You are {{agent.name}}.\n',
  'aab-good-tracker.yaml': 'name: aab-good-tracker\ndescription: Uses a good toolkit.\ninstructions: Hi.\ntoolkits:\n  optional: [tracker]\n',
};
const LOAD_TIME_LIMIT_MS = 20_000;

/** The loader property over agent files and a manifest drawn from `files`. */
export function loaderProperty(name: string, claim: string, shortRuns: number, files: LoaderFiles): FuzzProperty<LoaderInput, Context> {
  return {
    name,
    claim,
    shortRuns,
    arbitrary: fc.record(
      { agentFiles: fc.array(files.agent, { minLength: 1, maxLength: files.maxFiles ?? 3 }), ...(files.toolkit ? { toolkit: files.toolkit } : {}) },
      { requiredKeys: ['agentFiles'] },
    ) as fc.Arbitrary<LoaderInput>,
    start: async () => ({ root: await mkdtemp(join(tmpdir(), 'agentllm-fuzz-loader-')), round: 0, mustRefuse: files.mustRefuse ?? false }),
    check: checkLoad,
    stop: (context) => rm(context.root, { recursive: true, force: true }),
  };
}

async function checkLoad(context: Context, input: LoaderInput): Promise<void> {
  const dir = join(context.root, String(context.round++));
  const written = await writeDefinitions(dir, input);
  try {
    const started = Date.now();
    const report = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: join(dir, 'toolkits') });
    const took = Date.now() - started;
    if (took > LOAD_TIME_LIMIT_MS) throw new Error(`loading took ${took} ms`);
    if (!Array.isArray(report.agents) || !Array.isArray(report.errors)) throw new Error('the loader returned no {agents, errors}');
    const loaded = new Set(report.agents.map((agent) => agent.name));
    for (const good of ['aaa-good', 'aab-good-tracker']) if (!loaded.has(good)) throw new Error(`the good agent ${good} did not load beside the bad files: ${describeErrors(report.errors)}`);
    for (const error of report.errors) expectInside(error, written);
    expectEachBadFileReported(report.agents.map((agent) => agent.file), report.errors, written);
    const accepted = report.agents.filter((agent) => written.has(resolve(agent.file)));
    if (context.mustRefuse && accepted.length > 0) throw new Error(`loaded ${accepted.map((agent) => agent.file).join(', ')}: it must be refused`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the fuzzed files beside good ones; returns each fuzzed file's absolute path and text as the loader reads it. */
async function writeDefinitions(dir: string, input: LoaderInput): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  await mkdir(join(dir, 'agents'), { recursive: true });
  await cp(join(FIXTURE_TOOLKITS, 'tracker'), join(dir, 'toolkits', 'tracker'), { recursive: true });
  for (const [file, text] of Object.entries(GOOD_AGENTS)) await writeFile(join(dir, 'agents', file), text);
  for (const [index, bytes] of input.agentFiles.entries()) {
    const path = join(dir, 'agents', `fuzz-${index}.yaml`);
    await writeFile(path, bytes);
    written.set(path, bytes.toString('utf8'));
  }
  if (input.toolkit) {
    const path = join(dir, 'toolkits', 'broken', 'toolkit.yaml');
    await mkdir(join(dir, 'toolkits', 'broken'));
    await writeFile(join(dir, 'toolkits', 'broken', 'index.ts'), 'export default { buildTools: () => [] };\n');
    await writeFile(path, input.toolkit);
    written.set(path, input.toolkit.toString('utf8'));
  }
  return written;
}

/** The error names a fuzzed file (never a good one) and a line and column that exist in it. */
function expectInside(error: SourceError, written: Map<string, string>): void {
  const text = written.get(resolve(error.file));
  if (text === undefined) throw new Error(`an error names a file that is not a bad one: ${describeErrors([error])}`);
  if (typeof error.message !== 'string' || error.message.trim() === '') throw new Error(`an error has no message: ${JSON.stringify(error)}`);
  const lines = text.split('\n');
  const longest = Math.max(...lines.map((line) => line.length));
  const inside = Number.isInteger(error.line) && Number.isInteger(error.col) && error.line >= 1 && error.col >= 1 && error.line <= lines.length && error.col <= longest + 1;
  if (!inside) throw new Error(`error position ${error.line}:${error.col} is outside the file (${lines.length} lines): ${describeErrors([error])}`);
}

/** Every fuzzed agent file that did not load has at least one error of its own. */
function expectEachBadFileReported(loadedFiles: string[], errors: SourceError[], written: Map<string, string>): void {
  const reported = new Set(errors.map((error) => resolve(error.file)));
  const loaded = new Set(loadedFiles.map((file) => resolve(file)));
  for (const path of written.keys()) {
    if (path.endsWith('toolkit.yaml') || loaded.has(path) || reported.has(path)) continue;
    throw new Error(`${path} neither loaded nor has an error`);
  }
}

function describeErrors(errors: SourceError[]): string {
  return errors.slice(0, 5).map((error) => `${error.file}:${error.line}:${error.col} ${error.message.slice(0, 200)}`).join('\n');
}
