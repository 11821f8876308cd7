import Handlebars from 'handlebars';
import type { TemplateFailure } from './templates.ts';

type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

/** The built-in helpers AgentLLM templates may call (none are registered), with how many arguments each takes. */
const HELPERS: Record<string, { args: number | undefined; block: boolean }> = {
  if: { args: 1, block: true },
  unless: { args: 1, block: true },
  each: { args: 1, block: true },
  with: { args: 1, block: true },
  lookup: { args: 2, block: false },
  log: { args: undefined, block: false },
};

const KNOWN = Object.keys(HELPERS).sort().join(', ');

/**
 * Finds what parses but fails on every render: a partial, a decorator, an unknown helper, a
 * built-in helper with the wrong number of arguments or used without its block. Returns them all,
 * in template order, each at its node's position.
 */
export function findRenderProblems(ast: hbs.AST.Program): TemplateFailure[] {
  const checker = new TemplateChecker();
  checker.accept(ast);
  return checker.problems;
}

class TemplateChecker extends Handlebars.Visitor {
  readonly problems: TemplateFailure[] = [];

  override MustacheStatement(node: hbs.AST.MustacheStatement): void {
    this.report(node, checkCall(node, false));
    super.MustacheStatement(node);
  }

  override BlockStatement(node: hbs.AST.BlockStatement): void {
    this.report(node, checkCall(node, true));
    super.BlockStatement(node);
  }

  override SubExpression(node: hbs.AST.SubExpression): void {
    this.report(node, checkCall(node, false));
    super.SubExpression(node);
  }

  override PartialStatement(node: hbs.AST.PartialStatement): void {
    this.report(node, `partials are not supported ({{> ${nameOf(node.name)}}}): write the text in the template itself`);
  }

  override PartialBlockStatement(node: hbs.AST.PartialBlockStatement): void {
    this.report(node, `partials are not supported ({{#> ${nameOf(node.name)}}}): write the text in the template itself`);
  }

  override Decorator(node: hbs.AST.Decorator): void {
    this.report(node, `decorators are not supported ({{* ${nameOf(node.path)}}})`);
  }

  override DecoratorBlock(node: hbs.AST.DecoratorBlock): void {
    this.report(node, `decorators are not supported ({{#* ${nameOf(node.path)}}})`);
  }

  private report(node: hbs.AST.Node, message: string | undefined): void {
    if (message === undefined) return;
    this.problems.push({ line: node.loc.start.line, column: node.loc.start.column, message });
  }
}

/** Why this mustache, block or sub-expression cannot render, or undefined when it can. */
function checkCall(node: Call, block: boolean): string | undefined {
  const name = nameOf(node.path);
  const helper = isHelperName(node.path) ? HELPERS[name] : undefined;
  const args = node.params.length;
  if (!helper) {
    // `{{value}}` and `{{#section}}...{{/section}}` read a variable; only a call with arguments needs a helper.
    if (args === 0 && (node.hash?.pairs.length ?? 0) === 0) return undefined;
    return `unknown helper '${name}' (known helpers: ${KNOWN}); to print a variable, write {{${name}}} without arguments`;
  }
  if (helper.block && !block) return `'${name}' needs a block: {{#${name} ...}}...{{/${name}}}`;
  if (helper.args !== undefined && args !== helper.args) {
    return `'${name}' takes ${helper.args} argument${helper.args === 1 ? '' : 's'}, got ${args}`;
  }
  return undefined;
}

function isHelperName(path: hbs.AST.PathExpression | hbs.AST.Literal): boolean {
  return isPath(path) && !path.data && path.depth === 0 && path.parts.length === 1 && Object.hasOwn(HELPERS, path.original);
}

function nameOf(path: hbs.AST.PathExpression | hbs.AST.Literal | hbs.AST.SubExpression): string {
  if (path.type === 'SubExpression') return nameOf((path as hbs.AST.SubExpression).path);
  return String((path as hbs.AST.PathExpression | hbs.AST.StringLiteral).original);
}

function isPath(path: hbs.AST.PathExpression | hbs.AST.Literal): path is hbs.AST.PathExpression {
  return path.type === 'PathExpression';
}

const SAMPLE_USER = { id: 'sample-user', name: 'Sample User', email: 'user@example.com', role: 'user' };
const SAMPLE_AGENT = { name: 'sample-agent', description: 'A sample agent.' };

/** Variables as an agent's instructions see them (see run/render-system.ts), for the trial render. */
export const SAMPLE_INSTRUCTIONS_DATA = {
  user: SAMPLE_USER,
  agent: SAMPLE_AGENT,
  date: '2025-01-31',
  datetime: '2025-01-31T09:00:00.000Z',
  toolkits: {},
  toolkit_instructions: '',
};

/** Variables as a toolkit's templates see them (see toolkit/render-toolkit-message.ts), for the trial render. */
export function sampleToolkitData(toolkit: { name: string; title: string }): object {
  return {
    user: SAMPLE_USER,
    agent: SAMPLE_AGENT,
    config: {},
    toolkit,
    authorization_url: 'https://accounts.example.com/authorize',
    error: 'sample error',
    account: 'sample account',
    optional: true,
  };
}
