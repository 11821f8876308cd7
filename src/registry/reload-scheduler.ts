export interface ReloadScheduler {
  /** Asks for a reload: debounced; during a reload, one follow-up is queued. */
  schedule(): void;
  /** Cancels a pending reload and waits for a running one to finish. */
  close(): Promise<void>;
}

export interface ReloadSchedulerOptions {
  /** Quiet time after the last event before reloading. */
  delayMs: number;
  /** Never wait longer than this after the first event, even if events keep coming. */
  maxDelayMs: number;
  /** Must not throw (it logs its own failures). */
  reload(): Promise<void>;
}

/** Debounces bursts of events (an editor's several writes) into one reload; reloads never overlap. */
export function createReloadScheduler(options: ReloadSchedulerOptions): ReloadScheduler {
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  let running: Promise<void> | undefined;
  let followUp = false;
  let closed = false;

  const run = async (): Promise<void> => {
    timer = undefined;
    running = options.reload();
    await running;
    running = undefined;
    if (followUp && !closed) {
      followUp = false;
      schedule();
    }
  };

  const schedule = (): void => {
    if (closed) return;
    if (running) {
      followUp = true;
      return;
    }
    const now = Date.now();
    if (timer) clearTimeout(timer);
    else firstEventAt = now;
    const delay = Math.max(0, Math.min(options.delayMs, firstEventAt + options.maxDelayMs - now));
    timer = setTimeout(() => void run(), delay);
  };

  return {
    schedule,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
