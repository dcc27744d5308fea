import { randomUUID } from 'node:crypto';
import { type LivekitServer, startLivekit } from '@affection/test-support';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('LiveKit server started by the harness', () => {
  let livekit: LivekitServer;
  beforeAll(async () => {
    livekit = await startLivekit();
  });
  afterAll(async () => {
    await livekit?.stop();
  });

  it('creates a room and lists it', async () => {
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const name = `smoke-${randomUUID()}`;
    const created = await rooms.createRoom({ name, emptyTimeout: 60, maxParticipants: 3 });
    expect(created.name).toBe(name);
    const listed = await rooms.listRooms();
    expect(listed.map((r) => r.name)).toContain(name);
    await rooms.deleteRoom(name);
    expect((await rooms.listRooms()).map((r) => r.name)).not.toContain(name);
  });

  it('refuses a client with the wrong secret', async () => {
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, 'not-the-secret-not-the-secret-xx');
    await expect(rooms.listRooms()).rejects.toThrow();
  });
});
