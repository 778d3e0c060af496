import { Redis } from 'ioredis';
import type { MemoryPubSub } from '../context.js';
import type { MemoryEventRecord } from '../model.js';
import { LocalPubSub } from './localPubSub.js';

const channelPrefix = 'memgate:memory-events:';
const erasures = 'memgate:end-user-erasures';

/**
 * Memory events through Redis, so that a subscriber connected to any gateway instance sees the
 * changes made through every other one. An instance subscribes to a topic's channel only while
 * one of its clients listens to that topic.
 */
export class RedisPubSub implements MemoryPubSub {
  private readonly local = new LocalPubSub();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, number>();

  constructor(url: string) {
    this.publisher = new Redis(url, { maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(url);
    // Once connected (ioredis subscribes again by itself after a reconnection): a command queued
    // while Redis is down would hold the shutdown until its retries run out.
    this.subscriber.once('ready', () => {
      this.subscriber.subscribe(erasures).catch((error: Error) => {
        console.error(`Could not subscribe to erasures on Redis: ${error.message}`);
      });
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      try {
        if (channel === erasures) {
          const { tenantId, externalUserId } = JSON.parse(message) as { tenantId: string; externalUserId: string };
          this.local.publishErasure(tenantId, externalUserId);
          return;
        }
        const event = JSON.parse(message) as MemoryEventRecord;
        this.local.publish('memoryEvents', channel.slice(channelPrefix.length), {
          ...event,
          createdAt: new Date(event.createdAt),
        });
      } catch {
        console.error(`Ignored a malformed message on ${channel}.`);
      }
    });
  }

  publish(_routingKey: 'memoryEvents', topic: string, event: MemoryEventRecord): void {
    this.publisher.publish(channelPrefix + topic, JSON.stringify(event)).catch((error: Error) => {
      console.error(`Could not publish a memory event to Redis: ${error.message}`);
    });
  }

  subscribe(routingKey: 'memoryEvents', topic: string): AsyncIterable<MemoryEventRecord> {
    // The first event cannot be missed: it is only read once Redis has confirmed the subscription.
    return this.local.subscribe(routingKey, topic, () => this.unlisten(topic), this.listen(topic));
  }

  endSubscriptions(): void {
    this.local.endSubscriptions();
  }

  /** This instance at once, every other one through Redis. */
  publishErasure(tenantId: string, externalUserId: string): void {
    this.local.publishErasure(tenantId, externalUserId);
    this.publisher.publish(erasures, JSON.stringify({ tenantId, externalUserId })).catch((error: Error) => {
      console.error(`Could not publish an erasure to Redis: ${error.message}`);
    });
  }

  onErasure(listener: (tenantId: string, externalUserId: string) => void): void {
    this.local.onErasure(listener);
  }

  async close(): Promise<void> {
    await Promise.all([this.publisher.quit(), this.subscriber.quit()]);
  }

  private async listen(topic: string): Promise<void> {
    const count = this.listeners.get(topic) ?? 0;
    this.listeners.set(topic, count + 1);
    if (count === 0) await this.subscriber.subscribe(channelPrefix + topic);
  }

  private unlisten(topic: string): void {
    const count = (this.listeners.get(topic) ?? 1) - 1;
    if (count > 0) {
      this.listeners.set(topic, count);
      return;
    }
    this.listeners.delete(topic);
    void this.subscriber.unsubscribe(channelPrefix + topic).catch(() => undefined);
  }
}
