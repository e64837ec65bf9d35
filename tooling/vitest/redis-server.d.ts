/** A redis-server started by a test. */
export interface RedisServer {
  port: number;
  stop(): Promise<void>;
}
/** Whether `redis-server` is on PATH. */
export const redisServerAvailable: boolean;
/** Starts redis-server on 127.0.0.1 on a free port (no persistence), resolving once it accepts connections. */
export function startRedisServer(extra?: string[]): Promise<RedisServer>;
