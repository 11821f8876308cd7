/**
 * A tiny JQL subset for the fake Jira: clauses `field op value` joined by AND / OR / NOT with
 * parentheses; operators = != ~ !~ IN, NOT IN, IS [NOT] EMPTY; functions currentUser(), openSprints();
 * ORDER BY is parsed and ignored. Unknown fields and bad syntax throw JqlError (Jira answers 400).
 */
export class JqlError extends Error {}

/** What a clause can ask of an issue: the field's values (lower-cased), or undefined for an unknown field. */
export type FieldValues = (field: string, functionValue: (name: string) => string[]) => string[] | undefined;

type Token = { kind: 'lp' | 'rp' | 'comma' | 'op' | 'str' | 'word'; text: string };
export type Predicate = (values: FieldValues, functionValue: (name: string) => string[]) => boolean;

const TOKEN = /\s*(?:(\()|(\))|(,)|(!=|>=|<=|!~|=|~|>|<)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s(),=!~<>"']+(?:\(\))?))/y;

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < jql.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(jql);
    if (!match) {
      if (!jql.slice(start).trim()) break;
      throw new JqlError(`Error in the JQL Query: unexpected character at position ${start}.`);
    }
    const [, lp, rp, comma, op, dq, sq, word] = match;
    if (lp) tokens.push({ kind: 'lp', text: lp });
    else if (rp) tokens.push({ kind: 'rp', text: rp });
    else if (comma) tokens.push({ kind: 'comma', text: comma });
    else if (op) tokens.push({ kind: 'op', text: op });
    else if (dq !== undefined || sq !== undefined) tokens.push({ kind: 'str', text: (dq ?? sq ?? '').replace(/\\(.)/g, '$1') });
    else if (word) tokens.push({ kind: 'word', text: word });
  }
  return tokens;
}

export function parseJql(jql: string): Predicate {
  const tokens = tokenize(jql);
  const orderAt = tokens.findIndex((t, i) => t.kind === 'word' && /^order$/i.test(t.text) && /^by$/i.test(tokens[i + 1]?.text ?? ''));
  const where = orderAt >= 0 ? tokens.slice(0, orderAt) : tokens;
  if (where.length === 0) return () => true;
  const parser = new Parser(where);
  const predicate = parser.parseOr();
  if (!parser.done()) throw new JqlError(`Error in the JQL Query: expecting AND or OR but got '${parser.peek()?.text}'.`);
  return predicate;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    if (!token) throw new JqlError('Error in the JQL Query: the query ended unexpectedly.');
    return token;
  }

  private isWord(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === text;
  }

  parseOr(): Predicate {
    const parts = [this.parseAnd()];
    while (this.isWord('or')) {
      this.at++;
      parts.push(this.parseAnd());
    }
    return (values, fn) => parts.some((part) => part(values, fn));
  }

  private parseAnd(): Predicate {
    const parts = [this.parseUnary()];
    while (this.isWord('and')) {
      this.at++;
      parts.push(this.parseUnary());
    }
    return (values, fn) => parts.every((part) => part(values, fn));
  }

  private parseUnary(): Predicate {
    if (this.isWord('not')) {
      this.at++;
      const inner = this.parseUnary();
      return (values, fn) => !inner(values, fn);
    }
    if (this.peek()?.kind === 'lp') {
      this.at++;
      const inner = this.parseOr();
      if (this.next().kind !== 'rp') throw new JqlError("Error in the JQL Query: expecting ')'.");
      return inner;
    }
    return this.parseClause();
  }

  private parseClause(): Predicate {
    const field = this.next();
    if (field.kind !== 'word' && field.kind !== 'str') throw new JqlError(`Error in the JQL Query: expecting a field name but got '${field.text}'.`);
    const name = field.text.toLowerCase();
    const operator = this.parseOperator();
    const wanted = operator.endsWith('empty') ? [] : this.parseValues(operator);
    return (values, fn) => {
      const actual = values(name, fn);
      if (!actual) throw new JqlError(`Field '${field.text}' does not exist or you do not have permission to view it.`);
      const expanded = wanted.flatMap((value) => (value.endsWith('()') ? fn(value.toLowerCase()) : [value.toLowerCase()]));
      return compare(operator, actual, expanded);
    };
  }

  private parseOperator(): string {
    const token = this.next();
    if (token.kind === 'op') return token.text;
    const word = token.text.toLowerCase();
    if (word === 'in') return 'in';
    if (word === 'not' && this.isWord('in')) return (this.at++, 'not in');
    if (word === 'is') {
      const negated = this.isWord('not') ? (this.at++, true) : false;
      const value = this.next().text.toLowerCase();
      if (value !== 'empty' && value !== 'null') throw new JqlError('Error in the JQL Query: expecting EMPTY after IS.');
      return negated ? 'is not empty' : 'is empty';
    }
    throw new JqlError(`Error in the JQL Query: expecting an operator but got '${token.text}'.`);
  }

  private parseValues(operator: string): string[] {
    if (operator !== 'in' && operator !== 'not in') return [this.parseValue()];
    if (this.next().kind !== 'lp') throw new JqlError("Error in the JQL Query: expecting '(' after IN.");
    const values = [this.parseValue()];
    while (this.peek()?.kind === 'comma') {
      this.at++;
      values.push(this.parseValue());
    }
    if (this.next().kind !== 'rp') throw new JqlError("Error in the JQL Query: expecting ')'.");
    return values;
  }

  private parseValue(): string {
    const token = this.next();
    if (token.kind !== 'word' && token.kind !== 'str') throw new JqlError(`Error in the JQL Query: expecting a value but got '${token.text}'.`);
    return token.text;
  }
}

function compare(operator: string, actual: string[], wanted: string[]): boolean {
  switch (operator) {
    case '=':
    case 'in':
      return actual.some((value) => wanted.includes(value));
    case '!=':
    case 'not in':
      return actual.length > 0 && !actual.some((value) => wanted.includes(value));
    case '~':
      return actual.some((value) => wanted.some((word) => value.includes(word)));
    case '!~':
      return !actual.some((value) => wanted.some((word) => value.includes(word)));
    case 'is empty':
      return actual.length === 0;
    case 'is not empty':
      return actual.length > 0;
    default:
      throw new JqlError(`Error in the JQL Query: the operator '${operator}' is not supported by this fake.`);
  }
}
