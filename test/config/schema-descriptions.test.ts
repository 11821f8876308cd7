import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Editors show a property's `description` on completion and hover: every property needs one. */
function undocumented(node: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((item, index) => undocumented(item, `${path}[${index}]`, out));
  if (!node || typeof node !== 'object') return out;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    const documented = typeof property.description === 'string' || typeof property.$ref === 'string';
    if (!documented) out.push(`${path}.properties.${name}`);
  }
  for (const [key, value] of Object.entries(schema)) undocumented(value, `${path}.${key}`, out);
  return out;
}

describe('JSON Schemas document every property', () => {
  for (const file of ['agent.schema.json', 'toolkit.schema.json', 'chat-completion-request.schema.json']) {
    it(file, () => {
      const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas', file), 'utf8'));
      expect(undocumented(schema, '#', [])).toEqual([]);
    });
  }
});

describe("the shipped toolkits' config schemas document every property", () => {
  for (const name of ['jira', 'google-drive']) {
    it(name, () => {
      const manifest = parse(readFileSync(join(import.meta.dirname, '../../toolkits', name, 'toolkit.yaml'), 'utf8')) as { config?: unknown };
      expect(undocumented(manifest.config, `${name}.config`, [])).toEqual([]);
    });
  }
});
