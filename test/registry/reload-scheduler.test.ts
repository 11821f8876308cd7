import { describe, expect, it } from 'vitest';
import { createReloadScheduler } from '../../src/registry/reload-scheduler.ts';
import { sleep } from './temp-sources.ts';

function recordingReload(durationMs: number): { reload: () => Promise<void>; runs: number; overlapped: boolean } {
  const state = { runs: 0, overlapped: false, active: 0, reload: async () => {} };
  state.reload = async () => {
    state.active += 1;
    if (state.active > 1) state.overlapped = true;
    state.runs += 1;
    await sleep(durationMs);
    state.active -= 1;
  };
  return state;
}

describe('createReloadScheduler', () => {
  it('folds a burst of events into one reload', async () => {
    const recorder = recordingReload(1);
    const scheduler = createReloadScheduler({ delayMs: 20, maxDelayMs: 100, reload: () => recorder.reload() });
    for (let i = 0; i < 5; i++) scheduler.schedule();
    await sleep(80);
    expect(recorder.runs).toBe(1);
    await scheduler.close();
  });

  it('never overlaps reloads and queues exactly one follow-up for events during a reload', async () => {
    const recorder = recordingReload(60);
    const scheduler = createReloadScheduler({ delayMs: 5, maxDelayMs: 25, reload: () => recorder.reload() });
    scheduler.schedule();
    await sleep(20); // the first reload is running now
    for (let i = 0; i < 5; i++) scheduler.schedule();
    await sleep(200);
    expect(recorder.runs).toBe(2);
    expect(recorder.overlapped).toBe(false);
    await scheduler.close();
  });

  it('close() cancels a pending reload and waits for a running one', async () => {
    const recorder = recordingReload(40);
    const scheduler = createReloadScheduler({ delayMs: 5, maxDelayMs: 25, reload: () => recorder.reload() });
    scheduler.schedule();
    await sleep(15);
    scheduler.schedule(); // would be the follow-up
    await scheduler.close();
    expect(recorder.runs).toBe(1);
    scheduler.schedule();
    await sleep(30);
    expect(recorder.runs).toBe(1);
  });
});
