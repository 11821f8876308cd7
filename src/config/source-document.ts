import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { SourceError } from './definitions.ts';

/** A parsed YAML file that remembers where each node came from. */
export interface SourceDocument {
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data (aliases expanded, within MAX_ALIAS_COUNT). */
  data: unknown;
}

/** Alias expansions allowed per file: enough for any real definition, far too few for a "billion laughs" file. */
export const MAX_ALIAS_COUNT = 100;

export interface Position {
  line: number;
  col: number;
}

/** Which part of a map entry an error points at. */
export type Target = 'key' | 'value';

export type PathSegment = string | number;

/**
 * Parses YAML keeping source positions. Returns the document, or the errors that make it unusable:
 * syntax errors, several documents (`what` names the one expected), an empty file, or a root that is not a map.
 */
export function parseSource(file: string, text: string, what = 'agent'): { source?: SourceDocument; errors: SourceError[] } {
  const lineCounter = countLines(text);
  // logLevel 'error': the library's own warnings (a key that is a map, when converted) would go to
  // stderr quoting the file's content; problems are reported as our errors instead.
  const doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const source: SourceDocument = { file, text, doc, lineCounter, data: undefined };
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((error) => {
      const pos = lineCounter.linePos(error.pos[0]);
      const message = error.code === 'MULTIPLE_DOCS' ? describeMultipleDocuments(text, what) : `YAML syntax error: ${describeYamlError(error.code, error.message)}`;
      return { file, line: pos.line, col: pos.col, message };
    });
    return { errors };
  }
  try {
    source.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    // yaml's "Excessive alias count" (or an alias it cannot resolve): this file's error, like any other.
    return { errors: [{ file, ...positionOfNode(source, firstAlias(doc)), message: `too many aliases (*name): expanding them exceeds ${MAX_ALIAS_COUNT} copies (a "billion laughs" file?); write the values out instead` }] };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return { errors: [{ file, line: 1, col: 1, message: 'file is empty: expected a map of settings (name, description, instructions, ...)' }] };
  }
  if (!isMap(doc.contents)) {
    const what = isSeq(doc.contents) ? 'a list' : 'a single value';
    const pos = positionOfNode(source, doc.contents);
    return { errors: [{ file, ...pos, message: `expected a map of settings (key: value) at the top level, got ${what}` }] };
  }
  return { source, errors: [] };
}

/**
 * The start of every line of `text`, from the text itself. The parser's own count (its
 * `lineCounter` option) misses the line breaks inside some malformed multi-line scalars, and its
 * positions then point past the end of a line.
 */
function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) counter.addNewLine(at + 1);
  return counter;
}

/** Points at the second document's start (where the yaml library reports it). */
function describeMultipleDocuments(text: string, what: string): string {
  const parsed = parseAllDocuments(text);
  const documents = Array.isArray(parsed) ? parsed.length : 1;
  return `one ${what} per file: this file has ${documents} YAML documents (separated by ---)`;
}

/**
 * yaml's messages of these codes quote the file (a tag, an escape, a token): content, which an
 * error never shows (a link to a secret file would put its lines in /health/ready).
 */
const QUOTING_CODES: Record<string, string> = {
  TAG_RESOLVE_FAILED: 'unknown tag (a word starting with !)',
  BAD_DQ_ESCAPE: 'invalid escape sequence in a double-quoted string',
  BAD_SCALAR_START: 'a plain value cannot start with this character: quote the value',
  BAD_PROP_ORDER: 'anchors and tags must come after the indicator',
  BAD_COLLECTION_TYPE: 'a tag used on the wrong kind of value',
  UNEXPECTED_TOKEN: 'unexpected character here',
};

function describeYamlError(code: string, message: string): string {
  return QUOTING_CODES[code] ?? firstLine(message);
}

function firstAlias(doc: Document.Parsed): Node | undefined {
  let found: Node | undefined;
  visit(doc, { Alias(_key, node) { found = node; return visit.BREAK; } });
  return found;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** 1-based line and column of a node's first character. */
export function positionOfNode(source: SourceDocument, node: Node | null | undefined): Position {
  const offset = node?.range?.[0] ?? 0;
  return source.lineCounter.linePos(offset);
}

/** Position of the node at `path` (the key of the last segment when target is 'key'); falls back to the nearest ancestor. */
export function positionAt(source: SourceDocument, path: readonly PathSegment[], target: Target = 'value'): Position {
  let node: unknown = source.doc.contents;
  let nearest = node as Node;
  for (const [index, segment] of path.entries()) {
    const pair = findPair(node, segment);
    if (pair) {
      const last = index === path.length - 1;
      if (last && target === 'key') return positionOfNode(source, pair.key as Node);
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      node = undefined;
    }
    if (!node) break;
    nearest = node as Node;
  }
  return positionOfNode(source, nearest);
}

/** The YAML node at `path`, or undefined. */
export function nodeAt(source: SourceDocument, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const segment of path) {
    const pair = findPair(node, segment);
    if (pair) node = pair.value;
    else if (isSeq(node)) node = node.items[Number(segment)];
    else return undefined;
  }
  return (node ?? undefined) as Node | undefined;
}

function findPair(node: unknown, segment: PathSegment): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((item) => isPair(item) && keyOf(item) === String(segment));
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}
