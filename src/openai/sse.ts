/** Server-sent events framing of the chat completions stream. */

/** One event carrying a JSON value: `data: <json>\n\n`. */
export function formatSSEData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The end of a successful stream. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** A comment line that keeps proxies from closing an idle stream; clients ignore it. */
export const SSE_KEEPALIVE = ': keepalive\n\n';
