/** One server-sent event: its name and its data line. */
export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Splits server-sent events out of the text received so far: the complete events, and the rest to keep for the
 * next chunk. Comment lines (the heartbeat) give no event.
 *
 * @example splitEvents('event: ready\ndata: {}\n\n: heartbeat\n\nevent: ch') → { events: [{ event: 'ready', data: '{}' }], rest: 'event: ch' }
 */
export function splitEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  let rest = buffer.replace(/\r\n/g, '\n');
  for (let end = rest.indexOf('\n\n'); end !== -1; end = rest.indexOf('\n\n')) {
    const lines = rest.slice(0, end).split('\n');
    rest = rest.slice(end + 2);
    if (lines.every((line) => line === '' || line.startsWith(':'))) continue;
    const field = (name: string) =>
      lines
        .find((line) => line.startsWith(`${name}:`))
        ?.slice(name.length + 1)
        .trim();
    events.push({ event: field('event') ?? 'message', data: field('data') ?? '' });
  }
  return { events, rest };
}

/** How a stream ended: the server has no live updates (`unavailable`), or the connection closed or failed. */
export type StreamEnd = 'unavailable' | 'closed' | 'signed-out';

/**
 * Reads `GET /api/family/stream` with the phone's sign-in (a header, so `fetch` and not `EventSource`), calling
 * `onEvent` for each event, until the server ends it, the connection fails or `signal` aborts.
 */
export async function readFamilyStream(
  authorization: string,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
): Promise<StreamEnd> {
  let response: Response;
  try {
    response = await fetch('/api/family/stream', {
      headers: { authorization, accept: 'text/event-stream' },
      cache: 'no-store',
      signal,
    });
  } catch {
    return 'closed';
  }
  if (response.status === 401) return 'signed-out';
  if (!response.ok || !response.body) return 'closed';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let sawUnavailable = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const split = splitEvents(buffer);
      buffer = split.rest;
      for (const event of split.events) {
        if (event.event === 'unavailable') sawUnavailable = true;
        onEvent(event);
      }
    }
  } catch {
    // Aborted or the network dropped: the caller decides whether to connect again.
  }
  return sawUnavailable ? 'unavailable' : 'closed';
}
