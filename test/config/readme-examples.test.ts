import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSources } from '../../src/config/load-definitions.ts';

/**
 * Every ```yaml block of README.md and of every .md under docs/ that is an agent (or a part of one:
 * only agent keys at the top) or a toolkit manifest (or a part of one, laid over the first full
 * manifest) is loaded by the real loader, so the examples cannot rot. Errors are reported at their
 * file and line.
 */
const root = join(import.meta.dirname, '../..');
const agentKeys = Object.keys(JSON.parse(await readFile(join(root, 'schemas/agent.schema.json'), 'utf8')).properties);
const toolkitKeys = Object.keys(JSON.parse(await readFile(join(root, 'schemas/toolkit.schema.json'), 'utf8')).properties);

interface Block {
  file: string;
  line: number;
  text: string;
  keys: string[];
}

/** README.md, then every Markdown file under docs/, as paths relative to the repository. */
async function listDocs(): Promise<string[]> {
  const docs = (await readdir(join(root, 'docs'), { recursive: true })).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => join('docs', name))];
}

function readYamlBlocks(file: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    const value = parse(match[1]!) as unknown;
    const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
    if (keys.length > 0) blocks.push({ file, line, text: match[1]!, keys });
  }
  return blocks;
}

const isAgent = (block: Block) => block.keys.every((key) => agentKeys.includes(key));
const isToolkit = (block: Block) => !isAgent(block) && block.keys.every((key) => toolkitKeys.includes(key));

/** An agent part gets the required keys it lacks, appended so its lines keep their numbers in the doc. */
function completeAgent(block: Block, index: number): string {
  const missing = { name: `doc-example-${index}`, description: 'A documentation example.', instructions: 'Hello.' };
  const additions = Object.entries(missing).filter(([key]) => !block.keys.includes(key));
  return `${block.text}${additions.map(([key, value]) => `${key}: ${value}\n`).join('')}`;
}

describe('yaml examples of README.md and docs/ load with the real loader', () => {
  let dir: string;
  let blocks: Block[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentllm-readme-'));
    blocks = [];
    for (const file of await listDocs()) blocks.push(...readYamlBlocks(file, await readFile(join(root, file), 'utf8')));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the first agent, the annotated agent, the Jira and Drive agent configs and the acme manifest where they live', () => {
    const agentsIn = (file: string) => blocks.filter((block) => block.file === file && isAgent(block)).length;
    expect(agentsIn('README.md')).toBeGreaterThanOrEqual(2);
    expect(agentsIn(join('docs', 'agents.md'))).toBeGreaterThanOrEqual(1);
    expect(agentsIn(join('docs', 'jira.md'))).toBe(1);
    expect(agentsIn(join('docs', 'google-drive.md'))).toBe(1);
    const manifests = blocks.filter((block) => isToolkit(block) && block.keys.includes('name'));
    expect(manifests.map((block) => [block.file, parse(block.text).name])).toContainEqual([join('docs', 'toolkits.md'), 'acme']);
    expect(blocks.filter((block) => isToolkit(block) && !block.keys.includes('name')).length).toBeGreaterThanOrEqual(1);
  });

  it('has no error', async () => {
    const manifests = blocks.filter((block) => isToolkit(block) && block.keys.includes('name'));
    const base = parse(manifests[0]!.text) as Record<string, unknown>;
    const toolkitFiles = new Map<string, Block>();
    for (const block of blocks.filter(isToolkit)) {
      const manifest = block.keys.includes('name') ? block.text : JSON.stringify({ ...base, ...parse(block.text), name: `part-${block.line}` });
      const name = String(parse(manifest).name);
      await mkdir(join(dir, 'toolkits', name), { recursive: true });
      await writeFile(join(dir, 'toolkits', name, 'toolkit.yaml'), manifest);
      await writeFile(join(dir, 'toolkits', name, 'index.ts'), 'export default {};\n');
      toolkitFiles.set(join(dir, 'toolkits', name, 'toolkit.yaml'), block);
    }
    await mkdir(join(dir, 'agents'));
    const agentFiles = new Map<string, Block>();
    for (const [index, block] of blocks.filter(isAgent).entries()) {
      await writeFile(join(dir, 'agents', `example-${index}.yaml`), completeAgent(block, index));
      agentFiles.set(join(dir, 'agents', `example-${index}.yaml`), block);
    }
    const shipped = ['jira', 'google-drive'].map((name) => join(root, 'toolkits', name));
    const report = await loadSources({ agentFiles: [...agentFiles.keys()], toolkitDirs: [...shipped, ...[...toolkitFiles.keys()].map((file) => join(file, '..'))] });
    const where = (file: string) => [...agentFiles, ...toolkitFiles].find(([path]) => path.endsWith(file))?.[1];
    const errors = report.errors.map((error) => {
      const block = where(error.file);
      return `${block?.file ?? '?'}:${(block?.line ?? 0) + error.line - 1}: ${error.message} (${error.file})`;
    });
    expect(errors).toEqual([]);
    expect(report.agents.length).toBe(agentFiles.size);
  });
});
