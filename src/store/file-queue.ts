/**
 * An in-process queue per file: tasks on one file run one after another (so concurrent
 * appendRun calls on one session lose nothing), tasks on different files run in parallel.
 */
export interface FileQueue {
  run<T>(file: string, task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far (and any queued meanwhile) has settled. */
  drain(): Promise<void>;
}

export function createFileQueue(): FileQueue {
  const tails = new Map<string, Promise<unknown>>();

  function run<T>(file: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(file) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    tails.set(file, tail);
    void tail.then(() => {
      if (tails.get(file) === tail) tails.delete(file);
    });
    return result;
  }

  async function drain(): Promise<void> {
    while (tails.size > 0) await Promise.all([...tails.values()]);
  }

  return { run, drain };
}
