type ChainMessage = { role: 'user' | 'assistant'; content: string };

/** Each chat's messages so far, as Open WebUI keeps them: by server, user and chat id. */
const chains = new Map<string, ChainMessage[]>();

/**
 * A chat as Open WebUI sends it: forwarded user headers, and the whole chain from the first message
 * (every earlier question and answer, then this one). Returns what the user would read.
 */
export async function chat(url: string, input: { user: string; session: string; text: string; model: string; stream?: boolean }): Promise<{ status: number; content: string }> {
  const key = JSON.stringify([url, input.user, input.session]);
  const chain = chains.get(key) ?? [];
  const messages = [...chain, { role: 'user' as const, content: input.text }];
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-OpenWebUI-User-Id': input.user, 'X-OpenWebUI-Chat-Id': input.session, 'X-OpenWebUI-User-Name': input.user },
    body: JSON.stringify({ model: input.model, stream: input.stream ?? false, messages }),
  });
  const reply = { status: response.status, content: input.stream ? sseContent(await response.text()) : await readContent(response) };
  if (reply.status === 200) chains.set(key, [...messages, { role: 'assistant', content: reply.content }]);
  return reply;
}

async function readContent(response: Response): Promise<string> {
  const body = (await response.json()) as { choices?: { message: { content: string } }[]; error?: { message: string } };
  return body.choices?.[0]?.message.content ?? body.error?.message ?? '';
}

/** Concatenates the content deltas of an SSE chat stream. */
export function sseContent(text: string): string {
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: { content?: string } }[] };
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return content;
}
