import { createPubSub } from 'graphql-yoga';
import type { MemoryPubSub } from '../context.js';
import type { MemoryEventRecord } from '../model.js';

/**
 * Memory events within one process, with every open subscription endable at once: on shutdown
 * each stream then completes normally instead of holding its connection open.
 */
export class LocalPubSub implements MemoryPubSub {
  private readonly events = createPubSub<{ memoryEvents: [topic: string, event: MemoryEventRecord] }>();
  private readonly open = new Set<AsyncIterator<MemoryEventRecord>>();
  private readonly erasureListeners: ((tenantId: string, externalUserId: string) => void)[] = [];

  publish(routingKey: 'memoryEvents', topic: string, event: MemoryEventRecord): void {
    this.events.publish(routingKey, topic, event);
  }

  /** @param ready resolves when events can arrive (the Redis subscription is confirmed) */
  subscribe(
    routingKey: 'memoryEvents',
    topic: string,
    onEnd: () => void = () => {},
    ready: Promise<void> = Promise.resolve(),
  ): AsyncIterableIterator<MemoryEventRecord> {
    const events = this.events.subscribe(routingKey, topic)[Symbol.asyncIterator]();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.open.delete(iterator);
      onEnd();
    };
    const iterator: AsyncIterableIterator<MemoryEventRecord> = {
      next: () => ready.then(() => events.next()),
      return: (value?: unknown) => {
        end();
        return events.return?.(value) ?? Promise.resolve({ done: true, value: undefined });
      },
      throw: (error?: unknown) => {
        end();
        return events.throw?.(error) ?? Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    this.open.add(iterator);
    return iterator;
  }

  endSubscriptions(): void {
    for (const iterator of [...this.open]) void iterator.return?.();
  }

  publishErasure(tenantId: string, externalUserId: string): void {
    for (const listener of this.erasureListeners) listener(tenantId, externalUserId);
  }

  onErasure(listener: (tenantId: string, externalUserId: string) => void): void {
    this.erasureListeners.push(listener);
  }
}
