import type Router from '@koa/router';
import type { Registry } from '../../registry/registry.ts';
import { completeOAuth } from '../../run/complete-oauth.ts';
import type { RunDependencies } from '../../run/create-run-turn.ts';

/**
 * GET /oauth/:provider/callback: where the provider's consent screen sends the browser back.
 * Holds the user's tokens and shows a small page with the one-time confirmation code to paste in
 * chat, which stores them: the signed, one-use state proves the link came from here, the code in
 * chat proves this browser's owner is the chat's user. No API key is needed (the browser has none).
 */
export function addOAuthCallbackRoute(router: Router, options: { deps: RunDependencies; registry: Registry }): void {
  router.get('/oauth/:provider/callback', async (ctx) => {
    const { code, state, error } = ctx.query;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    if (typeof error === 'string') {
      ctx.status = 400;
      ctx.body = page('Not connected', `The authorization was not granted (${error}). Return to your chat and ask again when you are ready.`);
      return;
    }
    if (typeof code !== 'string' || typeof state !== 'string' || code === '' || state === '') {
      ctx.status = 400;
      ctx.body = page('Not connected', 'This page expects the `code` and `state` that the provider sends back after you approve access.');
      return;
    }
    const result = await completeOAuth(options.deps, options.registry.current(), { code, state });
    ctx.status = result.ok ? 200 : result.status;
    ctx.body = result.ok ? confirmationPage(result) : page('Not connected', result.message);
  });
}

function confirmationPage(result: { toolkit: string; agent: string; account?: string; confirmationCode: string }): string {
  const line = `${result.toolkit} confirmation code ${result.confirmationCode}`;
  return page(
    `One more step to connect ${result.toolkit}`,
    `You approved access${result.account ? ` as ${result.account}` : ''}. To finish, paste this line in your chat with ${result.agent}:`,
    line,
    'It works once, for 10 minutes, and only in the chat of the person who asked for this link. ' +
      'If someone else sent you the link, do not give them this line: with it, they could read your data.',
  );
}

function page(title: string, message: string, code?: string, note?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · AgentLLM</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.4rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${code ? `<p><code style="font-size:1.2rem;user-select:all">${escapeHtml(code)}</code></p>` : ''}${note ? `<p>${escapeHtml(note)}</p>` : ''}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
