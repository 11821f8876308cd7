/** A chat as Open WebUI sends it (forwarded user headers), returning what the user would read. */
export async function chat(url: string, input: { user: string; session: string; text: string; model: string; stream?: boolean }): Promise<{ status: number; content: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-OpenWebUI-User-Id': input.user, 'X-OpenWebUI-Chat-Id': input.session, 'X-OpenWebUI-User-Name': input.user },
    body: JSON.stringify({ model: input.model, stream: input.stream ?? false, messages: [{ role: 'user', content: input.text }] }),
  });
  if (!input.stream) {
    const body = (await response.json()) as { choices?: { message: { content: string } }[]; error?: { message: string } };
    return { status: response.status, content: body.choices?.[0]?.message.content ?? body.error?.message ?? '' };
  }
  return { status: response.status, content: sseContent(await response.text()) };
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
