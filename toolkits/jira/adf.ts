/**
 * Atlassian Document Format (Jira Cloud v3 descriptions and comments) to plain text and back.
 * Server/DC (v2) uses plain wiki-markup strings, which pass through unchanged.
 */
interface AdfNode {
  type?: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'rule', 'panel', 'tableRow']);

export function toPlainText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return renderNode(value as AdfNode).replace(/\n{3,}/g, '\n\n').trim();
}

function renderNode(node: AdfNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'mention') return String(node.attrs?.text ?? '@user');
  if (node.type === 'emoji') return String(node.attrs?.shortName ?? '');
  if (node.type === 'inlineCard' || node.type === 'blockCard') return String(node.attrs?.url ?? '');
  const inner = (node.content ?? []).map(renderNode).join('');
  if (node.type === 'listItem') return `- ${inner.trim()}\n`;
  if (node.type === 'tableCell' || node.type === 'tableHeader') return `${inner.trim()} | `;
  if (node.type && BLOCKS.has(node.type)) return `${inner}\n\n`;
  return inner;
}

/** Plain text as an ADF document: blank lines separate paragraphs, single newlines become hard breaks. */
export function toAdf(text: string): Record<string, unknown> {
  const paragraphs = text.split(/\n{2,}/).filter((part) => part.trim());
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => ({ type: 'paragraph', content: paragraphContent(paragraph) })),
  };
}

function paragraphContent(paragraph: string): AdfNode[] {
  return paragraph.split('\n').flatMap((line, index) => {
    const text: AdfNode[] = line ? [{ type: 'text', text: line }] : [];
    return index === 0 ? text : [{ type: 'hardBreak' }, ...text];
  });
}
