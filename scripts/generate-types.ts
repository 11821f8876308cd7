// Generates TypeScript types from the JSON Schemas in schemas/ (one source of truth).
// `npm run gen:types` rewrites them; test/config/schema-types.test.ts fails when they are stale.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSchemaTypes, SCHEMA_TYPE_FILES } from './schema-types.ts';

for (const entry of SCHEMA_TYPE_FILES) {
  const out = fileURLToPath(new URL(`../${entry.output}`, import.meta.url));
  await writeFile(out, await renderSchemaTypes(entry));
  console.log(`wrote ${entry.output}`);
}
