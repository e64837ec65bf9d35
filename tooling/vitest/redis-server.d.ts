/** A redis-server started by a test. */
export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}
/** Whether `redis-server` is on PATH. */
export const redisServerAvailable: boolean;
/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number>;
/** Starts redis-server on 127.0.0.1 on a free port (no persistence), resolving once it accepts connections. */
export function startRedisServer(extra?: string[]): Promise<RedisServer>;
