import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/config/templates.ts';

/** Plain-text instructions are rendered once at load; what the model gets must not change. */
describe('instructions without {{ }}', () => {
  const texts = [
    'You are a bench agent.',
    '  Leading and trailing space, kept.  \n\nTwo paragraphs.\n',
    'An escaped \\{{mustache}} stays literal, as Handlebars renders it.',
    '',
  ];

  it.each(texts)('render exactly as Handlebars renders them: %j', (text) => {
    const compiled = compileTemplate(text, {});
    if (!compiled.ok) throw new Error('did not compile');
    const handlebars = Handlebars.compile(text, { noEscape: true })({});
    expect(compiled.template({ user: { id: 'a' } })).toBe(handlebars);
    expect(compiled.template({ user: { id: 'b' } })).toBe(handlebars);
  });

  it('a template with a variable still renders for each user', () => {
    const compiled = compileTemplate('Hello {{user.id}}.', { user: { id: 'sample' } });
    if (!compiled.ok) throw new Error('did not compile');
    expect(compiled.template({ user: { id: 'ana' } })).toBe('Hello ana.');
    expect(compiled.template({ user: { id: 'bo' } })).toBe('Hello bo.');
  });
});
