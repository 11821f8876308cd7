import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * yaml-language-server (the editor side) validates with a draft-07 engine; the server with ajv's
 * 2020-12. The editor schemas may use only keywords both treat alike (docs/agents.md "Editor completion").
 */
const DRAFT_07_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$defs', 'title', 'description', 'default', 'examples', 'type', 'enum', 'const',
  'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'oneOf', 'anyOf', 'allOf', 'not', 'minProperties', 'maxProperties',
]);
/** Keywords whose value is a map of names to schemas (the names are not keywords). */
const NAME_MAPS = new Set(['properties', '$defs']);

function keywordsOutsideDraft07(node: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((item, index) => keywordsOutsideDraft07(item, `${path}/${index}`, out));
  if (!node || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    if (!DRAFT_07_KEYWORDS.has(key)) out.push(`${path}/${key}`);
    if (NAME_MAPS.has(key)) for (const [name, schema] of Object.entries(value as object)) keywordsOutsideDraft07(schema, `${path}/${key}/${name}`, out);
    else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples' && key !== 'required') keywordsOutsideDraft07(value, `${path}/${key}`, out);
  }
  return out;
}

/** In draft-07 keywords beside `$ref` are ignored: only annotations may sit there. */
function constraintsBesideRef(node: unknown, path: string, out: string[]): string[] {
  if (!node || typeof node !== 'object') return out;
  const entries = Object.entries(node);
  if ('$ref' in node) out.push(...entries.map(([key]) => key).filter((key) => !['$ref', 'description', 'title'].includes(key)).map((key) => `${path}/${key}`));
  for (const [key, value] of entries) constraintsBesideRef(value, `${path}/${key}`, out);
  return out;
}

describe('editor schemas stay within what yaml-language-server validates', () => {
  for (const file of ['agent.schema.json', 'toolkit.schema.json']) {
    it(file, () => {
      const schema: unknown = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas', file), 'utf8'));
      expect(keywordsOutsideDraft07(schema, '#', [])).toEqual([]);
      expect(constraintsBesideRef(schema, '#', [])).toEqual([]);
    });
  }
});
