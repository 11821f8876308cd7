import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The GitHub Actions job README "Validating in CI" shows is the one this repository runs. */
const root = join(import.meta.dirname, '../..');
const workflow = readFileSync(join(root, '.github/workflows/validate.yml'), 'utf8');

describe('.github/workflows/validate.yml', () => {
  it('is, character for character, the snippet in README', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const intro = 'A GitHub Actions job (`.github/workflows/validate.yml`):\n\n```yaml\n';
    const start = readme.indexOf(intro);
    expect(start).toBeGreaterThan(-1);
    const body = readme.slice(start + intro.length, readme.indexOf('```', start + intro.length));
    expect(body).toBe(workflow);
  });

  it('installs from the lock file on a Node that meets engines, then validates with annotations', () => {
    const job = (parse(workflow) as { jobs: Record<string, { steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }> }).jobs.validate!;
    const node = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
    const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe('>=22.12.0');
    expect(String(node?.with?.['node-version'])).toBe('24'); // the newest 24.x, the active LTS
    expect(job.steps.map((step) => step.run).filter(Boolean)).toEqual(['npm ci', 'npx agentllm validate --format github']);
  });
});
