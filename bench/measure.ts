import http from 'node:http';

/** A keep-alive HTTP client for benchmarks: the same for every target so only the server differs. */
export const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

export interface Timed {
  status: number;
  ms: number;
  body: string;
  /** ms until the body first contained `marker` (streaming). */
  markerMs?: number;
  /** process.hrtime.bigint() when the body first contained `marker`. */
  markerAt?: bigint;
}

export function post(url: string, body: unknown, options: { headers?: Record<string, string>; marker?: string | RegExp } = {}): Promise<Timed> {
  const payload = JSON.stringify(body);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: keepAliveAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...options.headers } }, (response) => {
      let text = '';
      let markerMs: number | undefined;
      let markerAt: bigint | undefined;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        if (markerMs === undefined && options.marker && hasMarker(text, options.marker)) {
          markerAt = process.hrtime.bigint();
          markerMs = performance.now() - start;
        }
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - start, body: text, markerMs, markerAt }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

function hasMarker(text: string, marker: string | RegExp): boolean {
  return typeof marker === 'string' ? text.includes(marker) : marker.test(text);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values: number[]): number => percentile(values, 50);

export function fmt(ms: number): string {
  return `${ms.toFixed(3)} ms`;
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

export function line(label: string, value: string, goal = ''): void {
  console.log(`  ${label.padEnd(52)} ${value.padStart(14)}${goal ? `   ${goal}` : ''}`);
}
