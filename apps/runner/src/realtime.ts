import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Fan-out of live events (web chat replies) to whichever process holds the customer's socket. In one process
 * an EventEmitter does; with REDIS_URL, Redis pub/sub carries them between ingress and sender processes.
 */
export interface Realtime {
  /** Resolves with how many subscribers received it: local listeners, or with Redis the processes listening. */
  publish(topic: string, message: unknown): Promise<number>;
  subscribe(topic: string, listener: (message: unknown) => void): () => void;
  close(): Promise<void>;
}

export class LocalRealtime implements Realtime {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  async publish(topic: string, message: unknown) {
    const listeners = this.emitter.listenerCount(topic);
    this.emitter.emit(topic, message);
    return listeners;
  }
  subscribe(topic: string, listener: (message: unknown) => void) {
    this.emitter.on(topic, listener);
    return () => void this.emitter.off(topic, listener);
  }
  async close() {
    this.emitter.removeAllListeners();
  }
}

export class RedisRealtime implements Realtime {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new LocalRealtime();
  private readonly counts = new Map<string, number>();

  constructor(redisUrl: string, private readonly prefix = 'signalbox:rt:') {
    this.pub = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    this.sub = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.pub.on('error', () => undefined);
    this.sub.on('error', () => undefined);
    this.sub.on('message', (channel: string, text: string) => {
      try {
        void this.local.publish(channel.slice(this.prefix.length), JSON.parse(text));
      } catch {
        // a malformed message from another process is dropped
      }
    });
  }

  async publish(topic: string, message: unknown) {
    return this.pub.publish(this.prefix + topic, JSON.stringify(message));
  }

  subscribe(topic: string, listener: (message: unknown) => void) {
    const n = (this.counts.get(topic) ?? 0) + 1;
    this.counts.set(topic, n);
    if (n === 1) void this.sub.subscribe(this.prefix + topic).catch(() => undefined);
    const off = this.local.subscribe(topic, listener);
    return () => {
      off();
      const left = (this.counts.get(topic) ?? 1) - 1;
      if (left === 0) {
        this.counts.delete(topic);
        void this.sub.unsubscribe(this.prefix + topic).catch(() => undefined);
      } else this.counts.set(topic, left);
    };
  }

  async close() {
    this.pub.disconnect();
    this.sub.disconnect();
    await this.local.close();
  }
}
