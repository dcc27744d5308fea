import { describe, expect, it } from 'vitest';
import { splitEvents } from './family-stream.ts';

describe('splitEvents', () => {
  it('returns the complete events, skips heartbeats and keeps a half-received event for the next chunk', () => {
    const first = splitEvents('event: ready\ndata: {}\nretry: 5000\n\n: heartbeat\n\nevent: chan');
    expect(first.events).toEqual([{ event: 'ready', data: '{}' }]);
    expect(first.rest).toBe('event: chan');
    const second = splitEvents(`${first.rest}ged\ndata: {"bookingIds":["bkg_1"]}\n\n`);
    expect(second.events).toEqual([{ event: 'changed', data: '{"bookingIds":["bkg_1"]}' }]);
    expect(second.rest).toBe('');
  });

  it('reads events split by CRLF and names an event without a name `message`', () => {
    expect(splitEvents('data: x\r\n\r\nevent: unavailable\r\ndata: {}\r\n\r\n').events).toEqual([
      { event: 'message', data: 'x' },
      { event: 'unavailable', data: '{}' },
    ]);
  });
});
