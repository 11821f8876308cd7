import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDefinitions, loadDefinitionsFromPaths } from '../../src/config/load-definitions.ts';

const fixtures = fileURLToPath(new URL('../fixtures/config', import.meta.url));
const toolkitsDir = join(fixtures, 'toolkits');

describe('loadDefinitions', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-load-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });


  /** Writes toolkits/<name>/toolkit.yaml (and index.ts when given) under the test's folder. */
  async function writeToolkit(name: string, lines: string[], plugin?: string): Promise<{ kits: string; manifest: string }> {
    const kits = join(dir, 'toolkits');
    await mkdir(join(kits, name), { recursive: true });
    if (plugin !== undefined) await writeFile(join(kits, name, 'index.ts'), plugin);
    await writeFile(join(kits, name, 'toolkit.yaml'), `${lines.join('\n')}\n`);
    return { kits, manifest: join(kits, name, 'toolkit.yaml') };
  }
  it('loads a valid agent with defaults, toolkit uses and a rendering template', async () => {
    const result = await loadDefinitions({ agentsDir: join(fixtures, 'agents'), toolkitsDir });
    expect(result.errors).toEqual([]);
    const [agent] = result.agents;
    expect(agent).toMatchObject({ name: 'helper', model: { provider: 'gemini', id: 'gemini-2.5-flash' }, historyRuns: 10, maxSteps: 5 });
    expect(agent!.toolkits).toEqual([
      { name: 'tracker', required: true, config: { project: 'OPS' } },
      { name: 'notes', required: false, config: {} },
    ]);
    expect(agent!.instructions({ user: { name: 'Ann & Bob' }, date: '2025-01-02', toolkit_instructions: 'Use tools.' })).toBe(
      'You help Ann & Bob.\n\nToday is 2025-01-02. Use tools.',
    );
    expect(result.toolkits.map((t) => [t.name, t.title, t.entry])).toEqual([
      ['notes', 'notes', join(toolkitsDir, 'notes', 'index.ts')],
      ['tracker', 'Tracker', join(toolkitsDir, 'tracker', 'index.ts')],
    ]);
    expect(result.toolkits[1]!.templates.prompt({ toolkit: { title: 'Tracker' }, user: { name: 'Ann' } })).toBe('Please paste your Tracker token, Ann.');
  });

  it('treats missing directories as empty', async () => {
    const result = await loadDefinitions({ agentsDir: join(dir, 'nope'), toolkitsDir: join(dir, 'none') });
    expect(result).toMatchObject({ agents: [], toolkits: [], errors: [], checked: { agents: 0, toolkits: 0 } });
  });

  it('reports broken toolkit manifests and points agents using them at the manifest', async () => {
    const kits = join(dir, 'toolkits');
    await cp(toolkitsDir, kits, { recursive: true });
    await mkdir(join(kits, 'broken'));
    await writeFile(join(kits, 'broken', 'toolkit.yaml'), [
      'name: wrong',
      'description: d',
      'credential:',
      '  type: api_token',
      '  fields: [{ name: token }]',
      "  detect: ['(?<token>[a-z']",
      'templates: { prompt: "{{#if x}}", confirmation: c, failure: f }',
      '',
    ].join('\n'));
    await mkdir(join(kits, 'cred'));
    await writeFile(join(kits, 'cred', 'index.ts'), 'export default {};\n');
    await writeFile(join(kits, 'cred', 'toolkit.yaml'), 'name: cred\ndescription: d\ncredential:\n  type: basic\ntemplates: { prompt: p, confirmation: c, failure: f }\n');
    await mkdir(join(dir, 'agents'));
    await writeFile(join(dir, 'agents', 'a.yaml'), 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  required: [broken]\n');
    const result = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: kits });
    const manifest = join(kits, 'broken', 'toolkit.yaml');
    expect(result.errors).toEqual([
      { file: join(dir, 'agents', 'a.yaml'), line: 5, col: 14, message: `toolkit 'broken' has errors (see ${manifest})` },
      { file: manifest, line: 1, col: 1, message: 'missing plugin code: ' + join(kits, 'broken', 'index.ts') + ' (or index.js) must exist next to toolkit.yaml' },
      { file: manifest, line: 1, col: 7, message: "toolkit name 'wrong' must equal its folder name 'broken'" },
      { file: manifest, line: 6, col: 12, message: 'credential.detect[0] is not a valid regular expression: /(?<token>[a-z/i: Unterminated character class' },
      { file: manifest, line: 7, col: 32, message: 'templates.prompt: invalid Handlebars template: unexpected end of template (is a block like {{#if}} left open?)' },
      { file: join(kits, 'cred', 'toolkit.yaml'), line: 4, col: 9, message: 'credential.type must be one of: "api_token", "oauth2" (got "basic")' },
    ]);
    expect(result.toolkits.map((t) => t.name)).toEqual(['notes', 'tracker']);
    expect(result.checked).toEqual({ agents: 1, toolkits: 4 });
  });

  it('reports a manifest\'s schema errors together with its name, regex, template and plugin errors, in one pass', async () => {
    const { kits, manifest } = await writeToolkit('mixed', [
      'name: other',
      'description: d',
      'credential: { type: basic, detect: ["(?<token>"] }',
      'revoke: ["(", 5]',
      'templates: { prompt: "{{#if x}}", confirmation: c }',
    ]);
    const result = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: kits });
    expect(result.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
      `1:1 missing plugin code: ${join(kits, 'mixed', 'index.ts')} (or index.js) must exist next to toolkit.yaml`,
      "1:7 toolkit name 'other' must equal its folder name 'mixed'",
      '3:21 credential.type must be one of: "api_token", "oauth2" (got "basic")',
      '3:37 credential.detect[0] is not a valid regular expression: /(?<token>/i: Unterminated group',
      '4:10 revoke[0] is not a valid regular expression: /(/i: Unterminated group',
      '4:15 revoke[1] must be a string (got 5)',
      "5:12 missing required property 'failure' in templates",
      '5:32 templates.prompt: invalid Handlebars template: unexpected end of template (is a block like {{#if}} left open?)',
    ]);
    expect(result.errors.every((e) => e.file === manifest)).toBe(true);
  });

  it('rejects toolkit templates that parse but would fail on every render, at the node', async () => {
    const { kits, manifest } = await writeToolkit('render', [
      'name: render',
      'description: d',
      'credential: { type: api_token, fields: [{ name: token }], detect: ["t (?<token>\\\\S+)"] }',
      'templates:',
      "  prompt: 'Connect: {{> connect}}'",
      '  confirmation: |',
      '    Thanks.',
      '    {{#each}}x{{/each}}',
      "  failure: 'No: {{upper error}}'",
      "  instructions: '{{#with config}}{{project}}{{/with}}'",
    ], 'export default {};\n');
    const result = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: kits });
    const prefix = 'invalid Handlebars template:';
    expect(result.errors).toEqual([
      { file: manifest, line: 5, col: 21, message: `templates.prompt: ${prefix} partials are not supported ({{> connect}}): write the text in the template itself` },
      { file: manifest, line: 8, col: 5, message: `templates.confirmation: ${prefix} 'each' takes 1 argument, got 0` },
      { file: manifest, line: 9, col: 17, message: `templates.failure: ${prefix} unknown helper 'upper' (known helpers: each, if, log, lookup, unless, with); to print a variable, write {{upper}} without arguments` },
    ]);
  });

  it('rejects detect patterns whose named groups match no credential field, and a set that captures no secret field', async () => {
    const { kits, manifest } = await writeToolkit('groups', [
      'name: groups',
      'description: d',
      'credential:',
      '  type: api_token',
      '  fields: [{ name: token, secret: true }, { name: email, optional: true }]',
      '  detect:',
      "    - 'groups token (?<tokn>\\S+)'",
      "    - 'groups mail (?<email>\\S+@\\S+)'",
      'templates: { prompt: p, confirmation: c, failure: f, revoked: r }',
    ], 'export default {};\n');
    const result = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: kits });
    expect(result.errors).toEqual([
      { file: manifest, line: 6, col: 3, message: 'no credential.detect pattern captures (?<token>...): the credential could never be detected in chat' },
      { file: manifest, line: 7, col: 7, message: "credential.detect[0]: named group 'tokn' is not a credential field (fields: token, email): what it captures is never stored" },
    ]);
  });

  it('an oauth2 detect pattern must capture the code', async () => {
    const { kits, manifest } = await writeToolkit('pasted', [
      'name: pasted',
      'description: d',
      'credential: { type: oauth2, provider: google, scopes: [s], detect: [\'my code is (?<auth_code>\\S+)\'] }',
      'templates: { prompt: p, confirmation: c, failure: f, revoked: r }',
    ], 'export default {};\n');
    const result = await loadDefinitions({ agentsDir: join(dir, 'agents'), toolkitsDir: kits });
    expect(result.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
      '3:60 no credential.detect pattern captures (?<code>...): the credential could never be detected in chat',
      "3:69 credential.detect[0]: named group 'auth_code' is not a credential field (the field is 'code'): what it captures is never stored",
    ]);
    expect(result.errors.every((e) => e.file === manifest)).toBe(true);
  });

  it('loads from explicit paths: agent files, an agents dir and a toolkits dir', async () => {
    await writeFile(join(dir, 'one.yaml'), 'name: one\ndescription: d\ninstructions: hi\ntoolkits: { optional: [notes] }\n');
    const result = await loadDefinitionsFromPaths([join(dir, 'one.yaml'), join(fixtures, 'agents'), toolkitsDir]);
    expect(result.errors).toEqual([]);
    expect(result.agents.map((a) => a.name).sort()).toEqual(['helper', 'one']);
    const missing = await loadDefinitionsFromPaths([join(dir, 'missing.yaml'), toolkitsDir]);
    expect(missing.errors).toEqual([{ file: join(dir, 'missing.yaml'), line: 1, col: 1, message: 'no such file or directory' }]);
  });
});
