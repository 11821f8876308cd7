import Handlebars from 'handlebars';
import type { TemplateDelegate } from 'handlebars';
import { isScalar, isSeq, Scalar } from 'yaml';
import type { Node } from 'yaml';
import type { SourceError } from './definitions.ts';
import { nodeAt, positionOfNode } from './source-document.ts';
import { findRenderProblems } from './template-checks.ts';
import type { PathSegment, Position, SourceDocument } from './source-document.ts';

/** Where a template failed: 1-based line, 0-based column inside the template text. */
export interface TemplateFailure {
  line: number;
  column: number;
  message: string;
}

/** `failures`: every problem found, in template order (one for a syntax error, which stops the parser). */
export type CompiledTemplate = { ok: true; template: TemplateDelegate } | { ok: false; failures: TemplateFailure[] };

interface JisonLocation {
  first_line: number;
  first_column: number;
}

const TOKEN_WORDS: Record<string, string> = {
  EOF: 'end of template (is a block like {{#if}} left open?)',
  CLOSE: "'}}'",
  CLOSE_UNESCAPED: "'}}}'",
  OPEN: "'{{'",
  INVALID: 'text inside {{ }}',
  OPEN_ENDBLOCK: "'{{/'",
};

/**
 * Parses a Handlebars template now (Handlebars.compile alone would wait until the first render),
 * so syntax errors surface at load time with their position; then rejects what parses but fails on
 * every render (partials, unknown helpers, helpers missing arguments), and renders it once with
 * `sample` (variables as the template will see them) to catch the rest. Chat text is not HTML: noEscape.
 */
export function compileTemplate(source: string, sample: object): CompiledTemplate {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    return { ok: false, failures: [describeFailure(error)] };
  }
  const problems = findRenderProblems(ast);
  if (problems.length > 0) return { ok: false, failures: problems };
  let trial: string;
  try {
    trial = Handlebars.compile(ast, { noEscape: true })(sample);
  } catch (error) {
    return { ok: false, failures: [{ line: 1, column: 0, message: `fails to render: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  // Plain text (no {{ }} at all): every render gives the trial's text, so no Handlebars run per request.
  if (ast.body.every((node) => node.type === 'ContentStatement')) return { ok: true, template: () => trial };
  // The trial's compiled function is dropped: the one kept compiles on its first render, so an
  // agent nobody talks to holds its source, not a compiled template (heap per loaded agent).
  return { ok: true, template: Handlebars.compile(source, { noEscape: true }) };
}

function describeFailure(error: unknown): TemplateFailure {
  const message = error instanceof Error ? error.message : String(error);
  const located = error as { lineNumber?: number; column?: number };
  if (typeof located.lineNumber === 'number') {
    return { line: located.lineNumber, column: located.column ?? 0, message: message.replace(/ - \d+:\d+$/, '') };
  }
  const got = /got '([^']+)'$/.exec(message)?.[1];
  const location = (Handlebars as unknown as { Parser: { lexer: { yylloc?: JisonLocation } } }).Parser.lexer.yylloc;
  const text = got ? `unexpected ${TOKEN_WORDS[got] ?? got}` : (message.split('\n')[0] ?? message);
  return { line: location?.first_line ?? 1, column: location?.first_column ?? 0, message: text };
}

/** One `file:line:col` error per failure of the template at `path` . */
export function describeTemplateFailures(source: SourceDocument, path: PathSegment[], failures: TemplateFailure[]): SourceError[] {
  const node = nodeAt(source, path);
  return failures.map((failure) => {
    const position = node ? positionInTemplate(source, node, failure) : { line: 1, col: 1 };
    return { file: source.file, ...position, message: `${path.join('.')}: invalid Handlebars template: ${failure.message}` };
  });
}

/**
 * Maps a position inside a template back to the YAML file. Exact for block literals (`|`) and
 * one-line strings; otherwise the start of the value. A list is joined with blank lines first.
 */
export function positionInTemplate(source: SourceDocument, node: Node, failure: TemplateFailure): Position {
  if (!isSeq(node)) return positionInScalar(source, node, failure.line, failure.column);
  let line = failure.line;
  for (const item of node.items) {
    const text = isScalar(item) ? String(item.value) : '';
    const lines = text.split('\n').length;
    if (line <= lines) return positionInScalar(source, item as Node, line, failure.column);
    line -= lines + 1;
  }
  return positionOfNode(source, node);
}

function positionInScalar(source: SourceDocument, node: Node, line: number, column: number): Position {
  const start = positionOfNode(source, node);
  if (!isScalar(node)) return start;
  const text = String(node.value);
  if (node.type === Scalar.BLOCK_LITERAL) {
    const indent = blockIndent(source, start.line);
    const at = clampToContent(text, line, column);
    return { line: start.line + at.line, col: indent + at.column + 1 };
  }
  // A plain or quoted value folded over several source lines: its columns no longer match the file's.
  if (text.includes('\n') || spansLines(source, node, start)) return start;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  return { line: start.line, col: start.col + column + (quoted ? 1 : 0) };
}

/**
 * A position past the template's last line (Handlebars reports "end of template" after the block's
 * trailing newline) moves to the end of its last line, so it does not point at the next key or past the file.
 */
function clampToContent(text: string, line: number, column: number): { line: number; column: number } {
  const lines = text.replace(/\n+$/, '').split('\n');
  if (line <= lines.length) return { line, column };
  return { line: lines.length, column: lines.at(-1)!.length };
}

function spansLines(source: SourceDocument, node: Node, start: Position): boolean {
  const end = node.range?.[1];
  return end !== undefined && source.lineCounter.linePos(end).line !== start.line;
}

/** Indentation of a block scalar's content: that of its first non-empty line after the header. */
function blockIndent(source: SourceDocument, headerLine: number): number {
  const lines = source.text.split('\n');
  for (let i = headerLine; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() !== '') return text.length - text.trimStart().length;
  }
  return 0;
}
