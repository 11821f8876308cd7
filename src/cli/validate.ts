import { stat } from 'node:fs/promises';
import type { SourceError } from '../config/definitions.ts';
import { loadDefinitions, loadDefinitionsFromPaths, sortErrors } from '../config/load-definitions.ts';
import type { LoadReport } from '../config/load-definitions.ts';
import { importPluginModule, importPlugins } from '../registry/import-plugins.ts';

export type OutputFormat = 'text' | 'json' | 'github';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'github'];

export const VALIDATE_USAGE = `Usage: agentllm validate [paths...] [--format text|json|github] [--allow-empty]

Checks agent files and toolkit manifests, and imports each toolkit's plugin. Paths default to
agents/ and toolkits/. A directory holding */toolkit.yaml is a toolkits directory; any other
directory holds agents.

Options:
  --format <f>    text (file:line:col: message), json, or github (workflow annotations)
  --allow-empty   Succeed when there is nothing to check: without it, a missing agents/
                  directory, or no agent file in it or in a directory given, is an error
  -h, --help      Show this help

Exit code: 0 when everything is valid, 1 when there are errors, 2 on bad usage.`;

/** `agentllm validate`: prints every error as file:line:col and a summary; returns the exit code. */
export async function runValidate(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const parsed = parseValidateArgs(argv);
  if ('error' in parsed) {
    io.stderr(`${parsed.error}\n\n${VALIDATE_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(`${VALIDATE_USAGE}\n`);
    return 0;
  }
  const loaded = parsed.paths.length > 0 ? await loadDefinitionsFromPaths(parsed.paths) : await loadDefinitions({ agentsDir: 'agents', toolkitsDir: 'toolkits' });
  const report = await checkPlugins(parsed.allowEmpty ? loaded : await requireSomething(parsed.paths, loaded));
  io.stdout(formatReport(report, parsed.format));
  return report.errors.length > 0 ? 1 : 0;
}

/** Imports each valid toolkit's index.ts as `serve` would, so a plugin that would be dropped there fails here. */
async function checkPlugins(report: LoadReport): Promise<LoadReport> {
  const imported = await importPlugins(report.toolkits, new Map(), importPluginModule);
  if (imported.errors.length === 0) return report;
  const toolkits = report.toolkits.filter((toolkit) => imported.plugins.has(toolkit.entry));
  return { ...report, toolkits, errors: sortErrors([...report.errors, ...imported.errors]) };
}

/** Nothing to check is an error (a CI job in the wrong folder would pass forever): a missing or empty agents dir. */
async function requireSomething(paths: string[], report: LoadReport): Promise<LoadReport> {
  const hint = 'create one with `agentllm new <name>`, or pass --allow-empty';
  const problems: SourceError[] = [];
  if (paths.length > 0) {
    for (const dir of report.emptyDirs ?? []) problems.push({ file: dir, line: 1, col: 1, message: `no agent files (*.yaml, *.yml) or toolkits in this directory: ${hint}` });
  } else if (!(await isDirectory('agents'))) {
    problems.push({ file: 'agents', line: 1, col: 1, message: `no agents directory in ${process.cwd()}: run validate in the folder holding agents/, give the paths to check, or pass --allow-empty` });
  } else if (report.checked.agents === 0) {
    problems.push({ file: 'agents', line: 1, col: 1, message: `no agent files (*.yaml, *.yml) in agents/: ${hint}` });
  }
  return problems.length === 0 ? report : { ...report, errors: sortErrors([...problems, ...report.errors]) };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((info) => info.isDirectory(), () => false);
}

type ParsedArgs = { paths: string[]; format: OutputFormat; help: boolean; allowEmpty: boolean } | { error: string };

function parseValidateArgs(argv: string[]): ParsedArgs {
  const paths: string[] = [];
  let format: string = 'text';
  let help = false;
  let allowEmpty = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--allow-empty') allowEmpty = true;
    else if (arg === '--format') format = argv[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg.startsWith('-')) return { error: `unknown option '${arg}'` };
    else paths.push(arg);
  }
  if (!FORMATS.includes(format as OutputFormat)) return { error: `--format must be one of: ${FORMATS.join(', ')} (got '${format}')` };
  return { paths, format: format as OutputFormat, help, allowEmpty };
}

export function formatReport(report: LoadReport, format: OutputFormat): string {
  const { errors, checked } = report;
  if (format === 'json') return `${JSON.stringify({ errors, agents: checked.agents, toolkits: checked.toolkits }, null, 2)}\n`;
  const lines = errors.map(format === 'github' ? toGithubLine : toTextLine);
  lines.push(summarize(report));
  return `${lines.join('\n')}\n`;
}

function toTextLine(error: SourceError): string {
  return `${error.file}:${error.line}:${error.col}: ${error.message}`;
}

/** A GitHub Actions workflow command, so the error shows as an annotation on the file's line. */
function toGithubLine(error: SourceError): string {
  const file = escapeProperty(error.file);
  return `::error file=${file},line=${error.line},col=${error.col}::${escapeData(error.message)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function summarize(report: LoadReport): string {
  const { errors, checked } = report;
  const agents = plural(checked.agents, 'agent');
  const toolkits = plural(checked.toolkits, 'toolkit');
  if (errors.length === 0) return `✓ ${agents} and ${toolkits} valid`;
  const files = new Set(errors.map((e) => e.file)).size;
  return `${plural(errors.length, 'error')} in ${plural(files, 'file')} (${agents}, ${toolkits} checked)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function defaultIO(): CliIO {
  return { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };
}
