/**
 * toolkit.yaml manifests: valid ones of both credential types (api_token with detect patterns,
 * oauth2), with templates, config schemas and feature words; mutated ones start from these.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
const pattern = fc.oneof(
  fc.constantFrom('my tracker token is (?<token>\\S+)', '\\b(?<token>[A-Z]{4}\\d{8})\\b', '(?<token>a+)+$', '(?<token>[', '(?<email>\\S+@\\S+) (?<token>\\w{10,})', '(?<tok>x)', '\\p{L}(?<token>.)'),
  fc.string({ maxLength: 20 }).map((text) => `(?<token>${text})`),
);
const template = fc.oneof(
  fc.constantFrom('Please paste your {{toolkit.title}} token, {{user.name}}.', 'Open {{authorization_url}} to connect.', 'Connected as {{account}}.', 'Failed: {{error}}', '{{#if}}', '{{config.project}}'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const templates = fc.record({ prompt: template, confirmation: template, failure: template, revoked: template, instructions: template }, { requiredKeys: ['prompt', 'confirmation', 'failure'] });

const apiToken = fc.record({
  type: fc.constant('api_token'),
  fields: fc.array(fc.record({ name: fc.constantFrom('token', 'email', 'url'), secret: fc.boolean(), optional: fc.boolean() }, { requiredKeys: ['name'] }), { minLength: 1, maxLength: 3 }),
  detect: fc.array(pattern, { minLength: 1, maxLength: 3 }),
});
const oauth2 = fc.record({ type: fc.constant('oauth2'), provider: fc.constant('google'), scopes: fc.array(word, { minLength: 1, maxLength: 2 }) });

/** A manifest for the toolkit folder `name`, as YAML text. */
export function toolkitYamlText(name: string): fc.Arbitrary<string> {
  return fc
    .record(
      {
        name: fc.constant(name),
        title: word,
        description: fc.lorem({ maxCount: 6 }),
        credential: fc.oneof(apiToken, oauth2),
        config: fc.constantFrom({ type: 'object', properties: { project: { type: 'string' } } }, { type: 'nonsense' }, { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, additionalProperties: false }),
        features: fc.record({ words: fc.array(word, { maxLength: 3 }), patterns: fc.array(pattern, { maxLength: 2 }) }, { requiredKeys: [] }),
        revoke: fc.array(fc.lorem({ maxCount: 3 }), { maxLength: 2 }),
        templates,
      },
      { requiredKeys: ['name', 'description', 'credential', 'templates'] },
    )
    .map((manifest) => stringify(manifest));
}
