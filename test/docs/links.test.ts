import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLink, listDocPages, readAnchors, readLinks, slugHeading } from './markdown-links.ts';

/** README.md and docs/ link to each other by relative path and #anchor: every one must resolve. */
const root = join(import.meta.dirname, '../..');
const pages = listDocPages(root);
const links = pages.flatMap((file) => readLinks(file, readFileSync(join(root, file), 'utf8')));

describe('links of README.md and docs/', () => {
  it('makes anchors as GitHub does', () => {
    expect(slugHeading('What `agentllm validate` checks')).toBe('what-agentllm-validate-checks');
    expect(slugHeading('Figures (2 vCPU VM, Node 20, one run; ranges over five runs)')).toBe('figures-2-vcpu-vm-node-20-one-run-ranges-over-five-runs');
    expect(slugHeading('Google gives no `refresh_token`, so Drive stops')).toBe('google-gives-no-refresh_token-so-drive-stops');
    expect(slugHeading('The plugin (index.ts)')).toBe('the-plugin-indexts');
    const anchors = readAnchors('# Title\n\n## Tools\n\n```sh\n# not a heading\n```\n\n## Tools\n');
    expect([...anchors]).toEqual(['title', 'tools', 'tools-1']);
  });

  it('finds the pages and their links (the scan works)', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', join('docs', 'configuration.md'), join('docs', 'troubleshooting.md')]));
    const readme = links.filter((link) => link.file === 'README.md');
    expect(readme.filter((link) => link.target.startsWith('docs/')).length).toBeGreaterThanOrEqual(10);
    expect(links.filter((link) => link.target.includes('#')).length).toBeGreaterThanOrEqual(30);
    expect(readLinks('x.md', '[a](b.md) `[c](d.md)`\n```\n[e](f.md)\n```\n')).toEqual([{ file: 'x.md', line: 1, target: 'b.md' }]);
  });

  it('reports a missing file, a missing heading and a link out of the repository', () => {
    const at = (target: string) => checkLink(root, { file: 'docs/agents.md', line: 1, target });
    expect(at('nowhere.md')).toMatch(/no such file docs\/nowhere\.md/);
    expect(at('configuration.md#no-such-heading')).toMatch(/no heading #no-such-heading in docs\/configuration\.md/);
    expect(at('#every-field')).toBeUndefined();
    expect(at('../../outside.md')).toMatch(/outside the repository/);
    expect(at('https://example.com/#anything')).toBeUndefined();
  });

  it('every relative link and #anchor resolves', () => {
    expect(links.map((link) => checkLink(root, link)).filter(Boolean)).toEqual([]);
  });

  it('README stays short enough to scan (at most 300 lines); the rest belongs in docs/', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(300);
  });
});
