/**
 * Where the log lines of a running server go: standard output, written without ever blocking the
 * process or waiting on the reader. A log collector that went away (`serve | head`, a closed pipe)
 * or stopped reading must not stop the server, nor its shutdown:
 * - a write error (EPIPE) marks the sink broken, and later lines are dropped;
 * - while more than `maxBacklogBytes` wait for a reader that does not read, new lines are dropped
 *   (counted, and said in one line once the reader catches up);
 * - nothing is flushed synchronously at exit (pino's own stdout destination does, and waits
 *   forever on a full pipe).
 */
export const DEFAULT_LOG_BACKLOG_BYTES = 1024 * 1024;

interface SinkStream extends NodeJS.WritableStream {
  readonly writableLength?: number;
  readonly destroyed?: boolean;
}

export class LogSink {
  readonly #stream: SinkStream;
  readonly #maxBacklogBytes: number;
  #broken = false;
  #dropped = 0;

  constructor(stream: SinkStream, maxBacklogBytes = DEFAULT_LOG_BACKLOG_BYTES) {
    this.#stream = stream;
    this.#maxBacklogBytes = maxBacklogBytes;
    stream.on('error', () => void (this.#broken = true));
    stream.on('drain', () => this.#reportDropped());
  }

  /** Lines dropped so far (a broken or stalled reader). */
  get dropped(): number {
    return this.#dropped;
  }

  write(line: string): boolean {
    if (this.#broken || this.#stream.destroyed || (this.#stream.writableLength ?? 0) > this.#maxBacklogBytes) {
      this.#dropped += 1;
      return true;
    }
    this.#stream.write(line);
    return true;
  }

  #reportDropped(): void {
    if (this.#dropped === 0 || this.#broken) return;
    const count = this.#dropped;
    this.#dropped = 0;
    this.#stream.write(`${JSON.stringify({ level: 40, time: Date.now(), service: 'agentllm', event: 'log_lines_dropped', count, msg: `${count} log line(s) dropped: the log reader did not keep up` })}\n`);
  }
}

/** A write error on stderr (its reader gone) is no reason to end the process: what was said there is also in the log. */
export function ignoreWriteErrors(stream: NodeJS.WritableStream): void {
  stream.on('error', () => undefined);
}
