import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

export interface SchemaTypeFile {
  schema: string;
  output: string;
}

export const SCHEMA_TYPE_FILES: SchemaTypeFile[] = [
  { schema: 'schemas/agent.schema.json', output: 'src/config/agent-definition.generated.ts' },
  { schema: 'schemas/toolkit.schema.json', output: 'src/config/toolkit-manifest.generated.ts' },
  { schema: 'schemas/chat-completion-request.schema.json', output: 'src/openai/chat-completion-request.generated.ts' },
];

export async function renderSchemaTypes(entry: SchemaTypeFile): Promise<string> {
  const path = fileURLToPath(new URL(`../${entry.schema}`, import.meta.url));
  const schema = JSON.parse(await readFile(path, 'utf8'));
  return compile(schema, schema.title, {
    bannerComment: `/* Generated from ${entry.schema} by \`npm run gen:types\`. Do not edit by hand. */`,
    additionalProperties: false,
    format: true,
    ignoreMinAndMaxItems: true,
    style: { singleQuote: true },
  });
}
