import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A link of a Markdown page: where it is written and what it points at. */
export interface MarkdownLink {
  file: string;
  line: number;
  target: string;
}

/** README.md and every Markdown file under docs/, as paths relative to `root`. */
export function listDocPages(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => join('docs', name))];
}

/** The page's lines with fenced code blocks blanked out (their `# comments` are not headings, their `[x](y)` not links). */
function readProseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && marker?.startsWith(fence)) fence = undefined;
    else if (fence === undefined) return line;
    return '';
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function slugHeading(text: string): string {
  const plain = text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim().toLowerCase();
  return plain.replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a page offers: its headings' slugs, the nth repeat of one suffixed `-n`, as GitHub does. */
export function readAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of readProseLines(markdown)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = slugHeading(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every inline link `[text](target)` of a page outside code, with its line. */
export function readLinks(file: string, markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const [index, line] of readProseLines(markdown).entries()) {
    const prose = line.replace(/`[^`]*`/g, '``');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ file, line: index + 1, target: match[1]! });
  }
  return links;
}

/** Why a relative link or anchor does not resolve, or undefined when it does (or points off the repository). */
export function checkLink(root: string, link: MarkdownLink): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return undefined;
  const [path = '', anchor] = link.target.split('#', 2);
  const target = path === '' ? join(root, link.file) : join(root, dirname(link.file), decodeURI(path));
  const where = `${link.file}:${link.line}: ${link.target}`;
  if (relative(root, target).startsWith('..')) return `${where} points outside the repository`;
  if (!existsSync(target)) return `${where}: no such file ${relative(root, target)}`;
  if (anchor === undefined) return undefined;
  if (!statSync(target).isFile() || !target.endsWith('.md')) return `${where}: an anchor into a file that is not Markdown`;
  const anchors = readAnchors(readFileSync(target, 'utf8'));
  return anchors.has(anchor) ? undefined : `${where}: no heading #${anchor} in ${relative(root, target)}`;
}
