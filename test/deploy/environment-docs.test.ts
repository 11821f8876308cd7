import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every environment variable the code reads is documented in .env.example and in the one table of
 * docs/configuration.md ("## Environment variables"), and that table names no variable the code
 * does not read.
 */
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

const TABLE_DOC = 'docs/configuration.md';
/** Variables a dependency reads itself (none of our code does), documented in the table on purpose. */
const READ_BY_LIBRARIES = new Set<string>([]);

/** The first cell of each row of the table under "## Environment variables": the variables it documents. */
function readTableVariables(doc: string): Set<string> {
  const start = doc.indexOf('\n## Environment variables\n');
  expect(start, `${TABLE_DOC} has a "## Environment variables" section`).toBeGreaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  const rows = doc.slice(start, end === -1 ? undefined : end).split('\n').filter((line) => line.startsWith('| `'));
  return new Set(rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!)));
}

describe('environment variables are documented', () => {
  it('finds the variables the code reads (the scan works)', async () => {
    const names = [...(await readVariables()).keys()];
    expect(names).toEqual(expect.arrayContaining(['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'AGENTLLM_API_KEY', 'PORT', 'LOG_LEVEL', 'JIRA_API_TOKEN', 'GOOGLE_REFRESH_TOKEN']));
  });

  it(`every variable read in src/ and toolkits/ has a line in .env.example and a row in ${TABLE_DOC}`, async () => {
    const example = await readFile(join(repo, '.env.example'), 'utf8');
    const inTable = readTableVariables(await readFile(join(repo, TABLE_DOC), 'utf8'));
    const inExample = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    const missing = [...(await readVariables())].flatMap(([name, file]) => [
      ...(inExample.has(name) ? [] : [`${name} (read in ${file}) is not in .env.example`]),
      ...(inTable.has(name) ? [] : [`${name} (read in ${file}) has no row in the table of ${TABLE_DOC}`]),
    ]);
    expect(missing).toEqual([]);
  });

  it(`${TABLE_DOC} has a row for no variable the code does not read`, async () => {
    const read = await readVariables();
    const inTable = readTableVariables(await readFile(join(repo, TABLE_DOC), 'utf8'));
    expect([...inTable].filter((name) => !read.has(name) && !READ_BY_LIBRARIES.has(name)).map((name) => `${name} is in ${TABLE_DOC} but nothing reads it`)).toEqual([]);
  });

  it(`no other page of README.md or docs/ tabulates them again: ${TABLE_DOC} is the one table`, async () => {
    const read = await readVariables();
    const docs = (await readdir(join(repo, 'docs'), { recursive: true })).filter((name) => name.endsWith('.md')).map((name) => join('docs', name));
    const repeated: string[] = [];
    for (const file of ['README.md', ...docs].filter((name) => name !== join(...TABLE_DOC.split('/')))) {
      const rows = (await readFile(join(repo, file), 'utf8')).split('\n').filter((line) => line.startsWith('| `'));
      for (const row of rows) {
        const names = [...row.split(' | ')[0]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]!).filter((name) => read.has(name));
        if (names.length > 0) repeated.push(`${file}: ${names.join(', ')} (link to ${TABLE_DOC}#environment-variables instead)`);
      }
    }
    expect(repeated).toEqual([]);
  });
});
