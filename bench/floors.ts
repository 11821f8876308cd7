import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI, type GenerateContentParameters } from '@google/genai';
import { createNodeTransport, installTransport } from '../src/model/sdk-transport.ts';

/**
 * The two floors AgentLLM's overhead is compared with, each ~20 lines of plain node:http:
 * (a) a pass-through proxy forwarding bytes to the fake with a keep-alive agent;
 * (b) a server that answers an OpenAI-style request by calling @google/genai (the SDK's own cost):
 *     generateContent, or generateContentStream when the request asks for `stream`;
 * (b′) the same server with the SDK's requests on AgentLLM's node:http transport (`transport: 'node'`),
 *     so that AgentLLM minus (b′) is our own code alone.
 */
export async function startPassThroughProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const server = http.createServer((req, res) => {
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers, agent }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return listen(server);
}

export async function startSdkProxy(target: string, transport: 'fetch' | 'node' = 'fetch'): Promise<{ url: string; close(): Promise<void> }> {
  const ai = new GoogleGenAI({ apiKey: 'bench-key', httpOptions: { baseUrl: target } });
  if (transport === 'node' && !installTransport(ai, createNodeTransport())) throw new Error('this @google/genai has no apiClient.apiCall to carry the node transport');
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as { model: string; stream?: boolean; messages: { role: string; content: string }[] };
    const contents = body.messages.map((message) => ({ role: message.role === 'assistant' ? 'model' : 'user', parts: [{ text: message.content }] }));
    const params = { model: 'gemini-2.5-flash', contents, config: { systemInstruction: 'You are a bench agent.' } };
    if (body.stream) return streamSdk(ai, params, body.model, res);
    const result = await ai.models.generateContent(params);
    const completion = { id: 'chatcmpl-x', object: 'chat.completion', created: 0, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: 'stop' }] };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
  });
  return listen(server);
}

/** Floor (b) streaming: generateContentStream, one SSE chunk written per Gemini chunk. */
async function streamSdk(ai: GoogleGenAI, params: GenerateContentParameters, model: string, res: http.ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  for await (const response of await ai.models.generateContentStream(params)) res.write(chunk({ content: response.text ?? '' }, null));
  res.end(chunk({}, 'stop') + 'data: [DONE]\n\n');
}

async function listen(server: http.Server): Promise<{ url: string; close(): Promise<void> }> {
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
