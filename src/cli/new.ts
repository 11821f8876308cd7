import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNamePattern } from '../config/schema-validators.ts';
import type { CliIO } from './validate.ts';

export const NEW_USAGE = `Usage: agentllm new <name> [--toolkit]

Creates agents/<name>.yaml, a valid agent to edit. With --toolkit, creates toolkits/<name>/
(toolkit.yaml and index.ts) instead. Never overwrites an existing file.`;

const NAME_RULES = {
  agent: "lower-case letters, digits, '-', '_' and '.'",
  toolkit: "lower-case letters, digits, '-' and '_'",
} as const;

/** `agentllm new`: scaffolds an agent file or a toolkit folder in the working directory. */
export async function runNew(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${NEW_USAGE}\n`);
    return 0;
  }
  const toolkit = argv.includes('--toolkit');
  const names = argv.filter((arg) => !arg.startsWith('-'));
  const unknown = argv.find((arg) => arg.startsWith('-') && arg !== '--toolkit');
  const name = names[0];
  if (unknown || names.length !== 1 || !name) {
    io.stderr(`${unknown ? `unknown option '${unknown}'` : 'expected exactly one name'}\n\n${NEW_USAGE}\n`);
    return 2;
  }
  const kind = toolkit ? 'toolkit' : 'agent';
  if (!readNamePattern(kind).test(name)) {
    io.stderr(`invalid ${kind} name '${name}': use ${NAME_RULES[kind]}, starting with a letter or digit, at most 64 characters\n`);
    return 2;
  }
  const agentFile = join('agents', `${name}.yaml`);
  const files = toolkit ? toolkitFiles(name) : { [agentFile]: agentYaml(name, schemaPathFrom(agentFile, 'agent')) };
  return writeNew(files, io);
}

async function writeNew(files: Record<string, string>, io: CliIO): Promise<number> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(path, '..'), { recursive: true });
    try {
      await writeFile(path, text, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      io.stderr(`${path} already exists; not overwriting it\n`);
      return 1;
    }
    io.stdout(`created ${path}\n`);
  }
  io.stdout('next: edit it, then run `agentllm validate`\n');
  return 0;
}

/** The schemas of the running agentllm package: this repository's schemas/, or node_modules/agentllm/schemas/ in a project using it. */
const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** `$schema=` path from the file to be written to the schema, relative and with forward slashes. */
function schemaPathFrom(file: string, kind: 'agent' | 'toolkit'): string {
  const path = relative(dirname(resolve(file)), join(SCHEMAS_DIR, `${kind}.schema.json`));
  return path.split(sep).join('/');
}

function agentYaml(name: string, schema: string): string {
  return `# yaml-language-server: $schema=${schema}
name: ${name}
description: What ${name} does, in one or two sentences (shown in the model list).
model:
  id: gemini-2.5-flash
instructions: |
  You are ${name}, an assistant{{#if user.name}} for {{user.name}}{{/if}}. Today is {{date}}.
  Describe the agent's job, its workflow and how it should answer here.
  {{toolkit_instructions}}
# toolkits:
#   required: [jira]
#   optional: [google-drive]
history:
  runs: 10
max_steps: 10
`;
}

function toolkitFiles(name: string): Record<string, string> {
  const dir = join('toolkits', name);
  const manifest = join(dir, 'toolkit.yaml');
  return { [manifest]: toolkitYaml(name, schemaPathFrom(manifest, 'toolkit')), [join(dir, 'index.ts')]: pluginSource(toolName(name, 'ping')) };
}

function toolkitYaml(name: string, schema: string): string {
  return `# yaml-language-server: $schema=${schema}
name: ${name}
title: ${name}
description: What the ${name} toolkit lets an agent do.
credential:
  type: api_token
  fields:
    - name: token
      label: API token
      secret: true
  detect:
    - 'my ${name} (?:api )?token is (?<token>\\S+)'
features:
  words: [${name}]
revoke:
  - 'forget my ${name} token'
templates:
  prompt: 'To use {{toolkit.title}}{{#if user.name}}, {{user.name}}{{/if}}, paste your API token as: my ${name} token is <token>'
  confirmation: 'Thanks, your {{toolkit.title}} token works{{#if account}} ({{account}}){{/if}}.'
  failure: 'That {{toolkit.title}} token did not work: {{error}}'
  revoked: 'I forgot your {{toolkit.title}} token.'
  instructions: 'Use the ${name} tools when the user asks about ${name}.'
`;
}

/**
 * A tool name unique across toolkits and valid as a Gemini function name (letters, digits, '_',
 * starting with a letter or '_', at most 64): `<toolkit>_<verb>`, dashes as underscores.
 */
function toolName(toolkit: string, verb: string): string {
  const prefix = toolkit.replace(/-/g, '_').slice(0, 62 - verb.length);
  return `${/^[0-9]/.test(prefix) ? '_' : ''}${prefix}_${verb}`;
}

function pluginSource(tool: string): string {
  return `import type { ToolkitPlugin } from 'agentllm';

const plugin: ToolkitPlugin = {
  buildTools({ credential }) {
    return [
      {
        name: '${tool}',
        description: 'Checks that the service answers.',
        parameters: { type: 'object', properties: {} },
        handler: async () => ({ ok: true, tokenLength: credential.token?.length ?? 0 }),
      },
    ];
  },
  async validateCredential({ credential }) {
    return credential.token ? { ok: true, credential } : { ok: false, error: 'no token given' };
  },
};

export default plugin;
`;
}
