import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../src/config/load-definitions.ts';

const toolkitsDir = fileURLToPath(new URL('../fixtures/config/toolkits', import.meta.url));
const valid = 'name: ok\ndescription: A valid agent.\ninstructions: Help {{user.name}}.\n';

interface Case {
  name: string;
  files: Record<string, string>;
  expected: { file: string; line: number; col: number; message: string }[];
}

const cases: Case[] = [
  {
    name: 'bad YAML syntax',
    files: { 'a.yaml': 'name: a\ndescription: d: e\ninstructions: hi\n' },
    expected: [{ file: 'a.yaml', line: 2, col: 14, message: 'YAML syntax error: Nested mappings are not allowed in compact mappings' }],
  },
  {
    name: 'wrong type collapsed from oneOf',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: 5\n' },
    expected: [{ file: 'a.yaml', line: 3, col: 15, message: 'instructions must be a string or a list of strings' }],
  },
  {
    name: 'wrong scalar type',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\nmax_steps: ten\n' },
    expected: [{ file: 'a.yaml', line: 4, col: 12, message: 'max_steps must be an integer (whole number) (got "ten")' }],
  },
  {
    name: 'max_steps 1 on an agent with toolkits leaves no tool step',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  optional: [notes]\nmax_steps: 1\n' },
    expected: [{ file: 'a.yaml', line: 6, col: 12, message: 'max_steps: 1 leaves no step for tool calls (the last model call must answer in text); an agent with toolkits needs at least 2' }],
  },
  {
    name: 'unknown key (typo) points at the key',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\nmodel:\n  temprature: 0.5\n' },
    expected: [{ file: 'a.yaml', line: 5, col: 3, message: "unknown property 'temprature' (did you mean 'temperature'?)" }],
  },
  {
    name: 'a misspelled required key: only the "did you mean" at the typo, not also "missing"',
    files: { 'a.yaml': 'name: a\ndescripton: d\ninstructions: hi\n' },
    expected: [{ file: 'a.yaml', line: 2, col: 1, message: "unknown property 'descripton' (did you mean 'description'?)" }],
  },
  {
    name: 'an unknown key unlike the missing required one: both are reported',
    files: { 'a.yaml': 'name: a\nsummary: d\ninstructions: hi\n' },
    expected: [
      { file: 'a.yaml', line: 1, col: 1, message: "missing required property 'description'" },
      { file: 'a.yaml', line: 2, col: 1, message: "unknown property 'summary' (allowed: version, name, description, model, instructions, toolkits, history, max_steps, tool_timeout_ms)" },
    ],
  },
  {
    name: 'missing name points at the map',
    files: { 'a.yaml': '# comment\ndescription: d\ninstructions: hi\n' },
    expected: [{ file: 'a.yaml', line: 2, col: 1, message: "missing required property 'name'" }],
  },
  {
    name: 'unknown toolkit lists the known ones',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  optional:\n    - notes\n    - trakcer\n' },
    expected: [{ file: 'a.yaml', line: 7, col: 7, message: "unknown toolkit 'trakcer' (known toolkits: notes, tracker)" }],
  },
  {
    name: 'duplicate name is reported on the second file',
    files: { 'a.yaml': valid, 'b.yaml': `# second\n${valid}` },
    expected: [{ file: 'b.yaml', line: 2, col: 7, message: "duplicate agent name 'ok': already defined in a.yaml" }],
  },
  {
    name: 'bad template in a block literal',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: |\n  Hello {{user.name}}.\n  Today is {{date}.\n' },
    expected: [{ file: 'a.yaml', line: 5, col: 18, message: "instructions: invalid Handlebars template: unexpected text inside {{ }}" }],
  },
  {
    name: 'mismatched block in a list item',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions:\n  - first\n  - "{{#if x}}y{{/each}}"\n' },
    expected: [{ file: 'a.yaml', line: 5, col: 9, message: "instructions: invalid Handlebars template: if doesn't match each" }],
  },
  {
    name: 'a partial (there are none) in a block literal',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: |\n  Hello {{user.name}}.\n  {{> footer}}\n' },
    expected: [{ file: 'a.yaml', line: 5, col: 3, message: 'instructions: invalid Handlebars template: partials are not supported ({{> footer}}): write the text in the template itself' }],
  },
  {
    name: 'an unknown helper with an argument',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: "Hi {{upper user.name}}"\n' },
    expected: [{ file: 'a.yaml', line: 3, col: 19, message: 'instructions: invalid Handlebars template: unknown helper \'upper\' (known helpers: each, if, log, lookup, unless, with); to print a variable, write {{upper}} without arguments' }],
  },
  {
    name: 'each without the list to loop over',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: |\n  Tools:\n    {{#each}}x{{/each}}\n' },
    expected: [{ file: 'a.yaml', line: 5, col: 5, message: "instructions: invalid Handlebars template: 'each' takes 1 argument, got 0" }],
  },
  {
    name: 'every problem of one template, not only the first',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: |\n  {{#each}}x{{/each}}\n  then {{foo 1}} and {{> part}}\n' },
    expected: [
      { file: 'a.yaml', line: 4, col: 3, message: "instructions: invalid Handlebars template: 'each' takes 1 argument, got 0" },
      { file: 'a.yaml', line: 5, col: 8, message: "instructions: invalid Handlebars template: unknown helper 'foo' (known helpers: each, if, log, lookup, unless, with); to print a variable, write {{foo}} without arguments" },
      { file: 'a.yaml', line: 5, col: 22, message: 'instructions: invalid Handlebars template: partials are not supported ({{> part}}): write the text in the template itself' },
    ],
  },
  {
    name: 'with without an argument, in a list item',
    files: { 'a.yaml': "name: a\ndescription: d\ninstructions:\n  - first\n  - 'a {{#with}}x{{/with}}'\n" },
    expected: [{ file: 'a.yaml', line: 5, col: 8, message: "instructions: invalid Handlebars template: 'with' takes 1 argument, got 0" }],
  },
  {
    name: 'if used without its block, inside a sub-expression',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: "{{#if (if user.name)}}x{{/if}}"\n' },
    expected: [{ file: 'a.yaml', line: 3, col: 22, message: "instructions: invalid Handlebars template: 'if' needs a block: {{#if ...}}...{{/if}}" }],
  },
  {
    name: 'lookup with one argument',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: "{{lookup user}}"\n' },
    expected: [{ file: 'a.yaml', line: 3, col: 16, message: "instructions: invalid Handlebars template: 'lookup' takes 2 arguments, got 1" }],
  },
  {
    name: 'a second YAML document in the file',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\n---\nname: b\n---\nname: c\n' },
    expected: [{ file: 'a.yaml', line: 4, col: 1, message: 'one agent per file: this file has 3 YAML documents (separated by ---)' }],
  },
  {
    name: 'duplicate key',
    files: { 'a.yaml': 'name: a\ndescription: d\nname: b\ninstructions: hi\n' },
    expected: [{ file: 'a.yaml', line: 3, col: 1, message: 'YAML syntax error: Map keys must be unique' }],
  },
  {
    name: 'empty file',
    files: { 'a.yaml': '\n# nothing here\n' },
    expected: [{ file: 'a.yaml', line: 1, col: 1, message: 'file is empty: expected a map of settings (name, description, instructions, ...)' }],
  },
  {
    name: 'a list where a map is expected',
    files: { 'a.yaml': '- name: a\n- description: d\n' },
    expected: [{ file: 'a.yaml', line: 1, col: 1, message: 'expected a map of settings (key: value) at the top level, got a list' }],
  },
  {
    name: 'toolkit config failing the manifest config schema',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  required:\n    - name: tracker\n      config:\n        project: ops\n        colour: red\n' },
    expected: [
      { file: 'a.yaml', line: 8, col: 18, message: 'toolkits.required[0].config.project must match /^[A-Z][A-Z0-9]+$/ (got "ops")' },
      { file: 'a.yaml', line: 9, col: 9, message: "unknown property 'colour' (allowed: project, max_results)" },
    ],
  },
  {
    name: 'config for a toolkit that declares none',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  optional:\n    - name: notes\n      config: { x: 1 }\n' },
    expected: [{ file: 'a.yaml', line: 7, col: 7, message: "toolkit 'notes' takes no config (its toolkit.yaml declares none)" }],
  },
  {
    name: 'toolkit both required and optional',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  required: [tracker]\n  optional: [notes, tracker]\n' },
    expected: [{ file: 'a.yaml', line: 6, col: 21, message: "toolkit 'tracker' is listed in both toolkits.required and toolkits.optional" }],
  },
  {
    name: 'toolkit reference of the wrong type',
    files: { 'a.yaml': 'name: a\ndescription: d\ninstructions: hi\ntoolkits:\n  optional: [5, { config: {} }]\n' },
    expected: [
      { file: 'a.yaml', line: 5, col: 14, message: 'toolkits.optional[0] must be a string or a map' },
      { file: 'a.yaml', line: 5, col: 17, message: "missing required property 'name' in toolkits.optional[1]" },
    ],
  },
  {
    // Found by the fuzz suite: the parser's own line count missed a line break inside the broken
    // scalar, and the closing brace was reported on line 4 (a line it is not on).
    name: 'syntax errors after a broken multi-line scalar point at their own lines',
    files: { 'a.yaml': '\0{\n  name: a,\n  instructions: [ "x" ],\n  max_steps: 1\n}\n' },
    expected: [
      { file: 'a.yaml', line: 1, col: 1, message: 'YAML syntax error: Implicit keys need to be on a single line' },
      { file: 'a.yaml', line: 2, col: 9, message: 'YAML syntax error: Nested mappings are not allowed in compact mappings' },
      { file: 'a.yaml', line: 2, col: 9, message: 'YAML syntax error: Implicit keys need to be on a single line' },
      { file: 'a.yaml', line: 3, col: 24, message: 'YAML syntax error: unexpected character here' },
      { file: 'a.yaml', line: 5, col: 1, message: 'YAML syntax error: unexpected character here' },
    ],
  },
  {
    name: 'several errors in several files, all in one pass',
    files: {
      'a.yaml': 'name: Bad Name\ndescription: ""\ninstructions: []\n',
      'b.yml': 'name: b\ndescription: d\ninstructions: hi\nhistory: { runs: -1 }\nextra: 1\n',
    },
    expected: [
      { file: 'a.yaml', line: 1, col: 7, message: 'name must match /^[a-z0-9][a-z0-9._-]{0,63}$/ (got "Bad Name")' },
      { file: 'a.yaml', line: 2, col: 14, message: 'description must not be empty' },
      { file: 'a.yaml', line: 3, col: 15, message: 'instructions must have at least 1 item' },
      { file: 'b.yml', line: 4, col: 18, message: 'history.runs must be >= 0 (got -1)' },
      { file: 'b.yml', line: 5, col: 1, message: "unknown property 'extra' (allowed: version, name, description, model, instructions, toolkits, history, max_steps, tool_timeout_ms)" },
    ],
  },
];

describe('loadDefinitions: broken agent files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(cases)('$name', async ({ files, expected }) => {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const result = await loadDefinitions({ agentsDir: dir, toolkitsDir });
    const withDir = expected.map((e) => ({ ...e, file: join(dir, e.file), message: e.message.replace('{dir}', dir) }));
    expect(result.errors).toEqual(withDir);
    expect(result.checked.agents).toBe(Object.keys(files).length);
  });
});
