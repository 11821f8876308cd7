import { expect } from 'vitest';

/** The consent link in a toolkit's chat prompt (a Markdown link). */
export function authorizationUrl(content: string): URL {
  const match = /\((https?:\/\/[^\s)]+\/o\/oauth2\/v2\/auth\?[^\s)]+)\)/.exec(content);
  if (!match) throw new Error(`no authorization URL in: ${content}`);
  return new URL(match[1]!);
}

/** Follows the consent page's redirect as a browser would, and returns our callback URL. */
export async function approve(url: URL): Promise<string> {
  const consent = await fetch(url, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return consent.headers.get('location')!;
}

/** The line the callback page asks the user to paste in chat ("Google Drive confirmation code ABCDE-23456"). */
export function confirmationLine(html: string): string {
  const match = /<code[^>]*>([^<]+)<\/code>/.exec(html);
  if (!match) throw new Error(`no confirmation code on the page: ${html}`);
  return match[1]!;
}
