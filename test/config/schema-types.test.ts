import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderSchemaTypes, SCHEMA_TYPE_FILES } from '../../scripts/schema-types.ts';

describe('generated types', () => {
  it.each(SCHEMA_TYPE_FILES)('$output agrees with $schema (run `npm run gen:types` when this fails)', async (entry) => {
    const committed = await readFile(new URL(`../../${entry.output}`, import.meta.url), 'utf8');
    expect(committed).toBe(await renderSchemaTypes(entry));
  });
});
