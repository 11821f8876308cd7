/**
 * The parts of Drive v3 request parsing the fake Google server needs, from Google's references:
 * the `q` search language subset (https://developers.google.com/drive/api/guides/ref-search-terms)
 * and partial responses via `fields` (https://developers.google.com/drive/api/guides/fields-parameter).
 */

/** What a `q` clause can look at. */
export interface SearchableFile {
  name: string;
  mimeType: string;
  parents: string[];
  content: string;
  trashed?: boolean;
}

/** Partial response: `fields=nextPageToken,files(id,name,owners(emailAddress))`, or `*`. */
export function pick(value: Record<string, unknown>, fields: string): Record<string, unknown> {
  if (fields.trim() === '*') return value;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of splitFields(fields)) {
    const field = value[name];
    if (field === undefined) continue;
    out[name] = inner === undefined ? field : pickNested(field, inner);
  }
  return out;
}

function pickNested(field: unknown, fields: string): unknown {
  if (Array.isArray(field)) return field.map((item) => pickNested(item, fields));
  return field && typeof field === 'object' ? pick(field as Record<string, unknown>, fields) : field;
}

function splitFields(fields: string): [string, string | undefined][] {
  const parts: [string, string | undefined][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= fields.length; i++) {
    const ch = fields[i];
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if ((ch === ',' && depth === 0) || i === fields.length) {
      const part = fields.slice(start, i).trim();
      const open = part.indexOf('(');
      if (part) parts.push(open < 0 ? [part, undefined] : [part.slice(0, open).trim(), part.slice(open + 1, -1)]);
      start = i + 1;
    }
  }
  return parts;
}

type Predicate = (file: SearchableFile) => boolean;

/** The Drive `q` subset: (a or b) and not c, with the clauses listed at the top of the file. */
export function parseQuery(q: string): Predicate {
  const tokens = [...q.matchAll(/\s*(\(|\)|'(?:\\.|[^'\\])*'|!=|=|[A-Za-z_][\w.]*)/g)].map((m) => m[1] ?? '');
  let at = 0;
  const peek = () => tokens[at]?.toLowerCase();
  const next = () => tokens[at++] ?? '';
  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (peek() === 'or') { next(); parts.push(andExpr()); }
    return (f) => parts.some((p) => p(f));
  };
  const andExpr = (): Predicate => {
    const parts = [factor()];
    while (peek() === 'and') { next(); parts.push(factor()); }
    return (f) => parts.every((p) => p(f));
  };
  const factor = (): Predicate => {
    if (peek() === 'not') { next(); const inner = factor(); return (f) => !inner(f); }
    if (peek() === '(') { next(); const inner = orExpr(); if (next() !== ')') throw new Error('expected )'); return inner; }
    return clause(next(), next().toLowerCase(), next());
  };
  const result = orExpr();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]}`);
  return result;
}

function clause(left: string, op: string, right: string): Predicate {
  if (op === 'in' && right === 'parents') { const id = literal(left); return (f) => f.parents.includes(id); }
  if (op === 'contains' && left === 'name') { const s = literal(right).toLowerCase(); return (f) => f.name.toLowerCase().includes(s); }
  if (op === 'contains' && left === 'fullText') {
    const s = literal(right).toLowerCase();
    return (f) => f.name.toLowerCase().includes(s) || f.content.toLowerCase().includes(s);
  }
  if ((op === '=' || op === '!=') && left === 'mimeType') { const m = literal(right); return (f) => (f.mimeType === m) === (op === '='); }
  if ((op === '=' || op === '!=') && left === 'trashed' && /^(true|false)$/.test(right)) {
    return (f) => (Boolean(f.trashed) === (right === 'true')) === (op === '=');
  }
  throw new Error(`unsupported clause ${left} ${op} ${right}`);
}

function literal(token: string): string {
  if (!/^'.*'$/.test(token)) throw new Error(`expected a string, got ${token}`);
  return token.slice(1, -1).replace(/\\(.)/g, '$1');
}
