/**
 * Agent files as people write them: a valid definition (every optional setting sometimes), in
 * block or flow style, with comments; mutated ones start from these. The toolkits they name are
 * the fuzz suite's own (`tracker`, `notes`, `broken`) or unknown ones.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export const TOOLKIT_NAMES = ['tracker', 'notes', 'broken', 'missing'] as const;

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);
const sentence = fc.oneof(fc.lorem({ maxCount: 8 }), fc.string({ unit: 'grapheme', maxLength: 60 }));
const template = fc.oneof(
  sentence,
  fc.constantFrom('You are {{agent.name}}.', 'Hello {{user.name}}{{#if user.email}} ({{user.email}}){{/if}}.', 'Today is {{date}}. {{toolkit_instructions}}', '{{#each toolkits}}{{name}} {{/each}}', '{{unknown.variable}}', '{{#if}}', '{{> partial}}'),
);
const toolkitRef = fc.oneof(fc.constantFrom(...TOOLKIT_NAMES), fc.record({ name: fc.constantFrom(...TOOLKIT_NAMES), config: fc.dictionary(word, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) }));

const model = fc.record(
  {
    provider: fc.constant('gemini'),
    id: fc.constantFrom('gemini-2.5-flash', 'gemini-2.5-pro'),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 65_536 }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    stop: fc.array(word, { maxLength: 4 }),
    seed: fc.integer(),
    thinking: fc.record({ budget: fc.integer({ min: -1, max: 24_576 }), include_thoughts: fc.boolean() }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** A plain object of an agent definition (valid for the schema, toolkits aside). */
export const agentDefinition = fc.record(
  {
    version: fc.constant(1),
    name: word,
    description: sentence,
    instructions: fc.oneof(template, fc.array(template, { minLength: 1, maxLength: 3 })),
    model,
    toolkits: fc.record({ required: fc.array(toolkitRef, { maxLength: 2 }), optional: fc.array(toolkitRef, { maxLength: 2 }) }, { requiredKeys: [] }),
    history: fc.record({ runs: fc.integer({ min: 0, max: 50 }) }),
    max_steps: fc.integer({ min: 1, max: 20 }),
    tool_timeout_ms: fc.integer({ min: 1, max: 600_000 }),
  },
  { requiredKeys: ['name', 'description', 'instructions'] },
);

/** The definition as YAML text, in one of the styles people use. */
export const agentYamlText: fc.Arbitrary<string> = fc
  .tuple(agentDefinition, fc.constantFrom('block', 'flow', 'commented'))
  .map(([definition, style]) => {
    if (style === 'flow') return stringify(definition, { collectionStyle: 'flow' });
    const text = stringify(definition);
    return style === 'commented' ? `# yaml-language-server: $schema=../schemas/agent.schema.json\n# an agent\n${text.replaceAll('\n', ' # note\n')}` : text;
  });
