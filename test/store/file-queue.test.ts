import { expect, it } from 'vitest';
import { createFileQueue } from '../../src/store/file-queue.ts';
import { createLruCache } from '../../src/store/lru-cache.ts';

it('runs tasks on one file one at a time, in order, even after a failure', async () => {
  const queue = createFileQueue();
  const order: string[] = [];
  let running = 0;
  const task = (name: string, fail = false) => async () => {
    running++;
    expect(running).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2));
    order.push(name);
    running--;
    if (fail) throw new Error(name);
  };
  const results = await Promise.allSettled([queue.run('f', task('a')), queue.run('f', task('b', true)), queue.run('f', task('c'))]);
  expect(order).toEqual(['a', 'b', 'c']);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
});

it('drain waits for tasks queued while draining', async () => {
  const queue = createFileQueue();
  const done: string[] = [];
  void queue.run('a', async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    done.push('a');
    void queue.run('b', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push('b');
    });
  });
  await queue.drain();
  expect(done).toEqual(['a', 'b']);
});

it('LRU cache forgets the least recently used entry', () => {
  const cache = createLruCache<number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  expect(cache.get('a')).toBe(1);
  cache.set('c', 3);
  expect(cache.get('b')).toBeUndefined();
  expect(cache.keys()).toEqual(['a', 'c']);
  expect(cache.size).toBe(2);
});

it('LRU cache forgets the least recently used entries beyond its total weight, keeping the newest', () => {
  const cache = createLruCache<string>(10, 100);
  cache.set('a', 'A', 40);
  cache.set('b', 'B', 40);
  cache.get('a');
  cache.set('c', 'C', 40);
  expect(cache.keys()).toEqual(['a', 'c']);
  expect(cache.weight).toBe(80);
  cache.set('a', 'A2', 10);
  expect(cache.weight).toBe(50);
  cache.set('huge', 'H', 500);
  expect(cache.keys()).toEqual(['huge']);
  expect(cache.weight).toBe(500);
});
