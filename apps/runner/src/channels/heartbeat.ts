import type { WebSocket } from 'ws';

/** Proxies close idle connections after 60 s (nginx's proxy_read_timeout); a ping every 25 s keeps them open. */
export const HEARTBEAT_MS = 25_000;

/**
 * Pings a socket and terminates it when the previous ping went unanswered: a client that vanished without a
 * close frame (a phone that lost its network) stops counting as a listener within two intervals.
 */
export function heartbeat(socket: WebSocket, intervalMs = HEARTBEAT_MS): void {
  let alive = true;
  socket.on('pong', () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  socket.on('close', () => clearInterval(timer));
}
