import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every environment variable the code reads is documented in .env.example and in README's configuration table. */
const repo = join(import.meta.dirname, '../..');
const READS = [
  /process\.env\.([A-Z][A-Z0-9_]*)/g,
  /\benv\.([A-Z][A-Z0-9_]*)/g,
  /\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  // a name handed to a reader, e.g. readNumber(env, 'AGENTLLM_BODY_LIMIT')
  /['"`]((?:AGENTLLM|GEMINI|GOOGLE|JIRA)_[A-Z0-9_]+)['"`]/g,
];
/** A manifest field's operator-level fallback (`env: JIRA_API_TOKEN`). */
const MANIFEST_ENV = /^\s*env:\s*([A-Z][A-Z0-9_]*)\s*$/gm;

async function listSources(dir: string): Promise<string[]> {
  const entries = await readdir(join(repo, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$|^toolkit\.yaml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

async function readVariables(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const file of [...(await listSources('src')), ...(await listSources('toolkits'))]) {
    const text = await readFile(file, 'utf8');
    for (const pattern of file.endsWith('.yaml') ? [MANIFEST_ENV] : READS) {
      for (const match of text.matchAll(pattern)) if (!found.has(match[1]!)) found.set(match[1]!, file.slice(repo.length + 1));
    }
  }
  return found;
}

function configurationTable(readme: string): string {
  const start = readme.indexOf('\n## Configuration\n');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end).split('\n').filter((line) => line.startsWith('| `')).join('\n');
}

describe('environment variables are documented', () => {
  it('finds the variables the code reads (the scan works)', async () => {
    const names = [...(await readVariables()).keys()];
    expect(names).toEqual(expect.arrayContaining(['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'AGENTLLM_API_KEY', 'PORT', 'LOG_LEVEL', 'JIRA_API_TOKEN', 'GOOGLE_REFRESH_TOKEN']));
  });

  it('every variable read in src/ and toolkits/ has a line in .env.example and a row in the README configuration table', async () => {
    const example = await readFile(join(repo, '.env.example'), 'utf8');
    const table = configurationTable(await readFile(join(repo, 'README.md'), 'utf8'));
    const inExample = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const inTable = new Set([...table.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]));
    const missing = [...(await readVariables())].flatMap(([name, file]) => [
      ...(inExample.has(name) ? [] : [`${name} (read in ${file}) is not in .env.example`]),
      ...(inTable.has(name) ? [] : [`${name} (read in ${file}) is not in README's configuration table`]),
    ]);
    expect(missing).toEqual([]);
  });
});
