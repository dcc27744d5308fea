import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@affection/config';
import { createLogger, type DevServices, lanAddresses, startDevServices } from '@affection/runtime';
import { getFreeTcpPort, type LivekitServer, startLivekit } from '@affection/test-support';
import { dispose, Room, RoomEvent } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** What the launcher writes for LiveKit (JSON, read by LiveKit as YAML). */
interface WrittenConfig {
  port: number;
  bind_addresses: string[];
  rtc: {
    node_ip: string;
    tcp_port: number;
    udp_port?: number;
    port_range_start?: number;
    port_range_end?: number;
    use_external_ip: boolean;
  };
}

const readConfig = async (livekit: LivekitServer) =>
  JSON.parse(await readFile(livekit.configPath, 'utf8')) as WrittenConfig;

/** The machine's first LAN address, or undefined on a machine with loopback only. */
const lan = lanAddresses()[0];

async function tokenFor(livekit: LivekitServer, room: string, identity: string): Promise<string> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity, ttl: 120 });
  token.addGrant({ room, roomJoin: true, canPublish: true, canPublishData: true, canSubscribe: true });
  return token.toJwt();
}

describe('the dev LiveKit serving the LAN (HOST=0.0.0.0)', () => {
  let livekit: LivekitServer;
  const rooms: Room[] = [];

  beforeAll(async () => {
    // On a machine without a LAN address the node IP must be given (npm start says so); loopback then stands in.
    livekit = await startLivekit({
      host: '0.0.0.0',
      port: await getFreeTcpPort(),
      lanPorts: { tcpPort: await getFreeTcpPort() },
      ...(lan === undefined ? { nodeIp: '127.0.0.1' } : {}),
    });
  });
  afterEach(async () => {
    await Promise.all(rooms.splice(0).map((room) => room.disconnect()));
  });
  afterAll(async () => {
    await dispose();
    await livekit?.stop();
  });

  it('writes a config that binds every address, gives the LAN address as node IP, a UDP range and TCP fallback', async () => {
    const config = await readConfig(livekit);
    expect(config.bind_addresses).toEqual(['0.0.0.0']);
    expect(config.rtc.node_ip).toBe(lan ?? '127.0.0.1');
    expect(livekit.nodeIp).toBe(config.rtc.node_ip);
    expect(config.rtc.use_external_ip).toBe(false);
    expect(config.rtc.udp_port).toBeUndefined();
    expect(config.rtc).toMatchObject({ port_range_start: 50000, port_range_end: 60000 });
    expect(config.rtc.tcp_port).toBeGreaterThan(0);
    expect(config.rtc.tcp_port).not.toBe(config.port);
    // Browsers are handed the LAN address, not loopback.
    expect(livekit.wsUrl).toBe(`ws://${lan ?? '127.0.0.1'}:${config.port}`);
  });

  it('answers HTTP on the machine LAN address', async () => {
    const response = await fetch(`http://${livekit.nodeIp}:${new URL(livekit.httpUrl).port}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('OK');
  });

  it('carries data between two participants that joined through the LAN address', async () => {
    const roomName = `lan-${Date.now()}`;
    const [kiosk, parent] = [new Room(), new Room()];
    rooms.push(kiosk, parent);
    await kiosk.connect(livekit.wsUrl, await tokenFor(livekit, roomName, 'kiosk'), {
      autoSubscribe: true,
      dynacast: false,
    });
    await parent.connect(livekit.wsUrl, await tokenFor(livekit, roomName, 'parent'), {
      autoSubscribe: true,
      dynacast: false,
    });
    const received = once(parent, RoomEvent.DataReceived) as Promise<[Uint8Array, { identity: string } | undefined]>;
    await kiosk.localParticipant?.publishData(new TextEncoder().encode('你好'), { reliable: true });
    const [payload, from] = await received;
    expect(new TextDecoder().decode(payload)).toBe('你好');
    expect(from?.identity).toBe('kiosk');
  });
});

describe('the dev LiveKit by default (HOST=127.0.0.1)', () => {
  let livekit: LivekitServer;
  beforeAll(async () => {
    livekit = await startLivekit();
  });
  afterAll(async () => {
    await livekit?.stop();
  });

  it('listens on loopback only, with one UDP port and node IP 127.0.0.1, as before', async () => {
    const config = await readConfig(livekit);
    expect(config.bind_addresses).toEqual(['127.0.0.1']);
    expect(config.rtc.node_ip).toBe('127.0.0.1');
    expect(config.rtc.udp_port).toBeGreaterThan(0);
    expect(config.rtc.port_range_start).toBeUndefined();
    expect(livekit.wsUrl).toBe(`ws://127.0.0.1:${config.port}`);
    const port = new URL(livekit.httpUrl).port;
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    // Another machine's way in, the LAN address, is refused (on a machine without one there is nothing to try).
    if (lan !== undefined) await expect(fetch(`http://${lan}:${port}/`)).rejects.toThrow();
  });
});

describe('npm start with HOST=0.0.0.0 (its dev services)', () => {
  let services: DevServices;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-lan-start-'));
    const config = loadConfig({
      HOST: '0.0.0.0',
      DATA_DIR: dataDir,
      ...(lan === undefined ? { LIVEKIT_NODE_IP: '127.0.0.1' } : {}),
    });
    services = await startDevServices(config, { logger: createLogger({ service: 'test', level: 'silent' }) });
  });
  afterAll(async () => {
    await services?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts LiveKit on the LAN at its usual ports and hands the server the LAN address for browsers', async () => {
    const nodeIp = lan ?? '127.0.0.1';
    expect(services.livekit?.host).toBe('0.0.0.0');
    expect(services.config.livekit?.url).toBe(`ws://${nodeIp}:7880`);
    const config = JSON.parse(await readFile(services.livekit?.configPath ?? '', 'utf8')) as WrittenConfig;
    expect(config).toMatchObject({
      port: 7880,
      bind_addresses: ['0.0.0.0'],
      rtc: { node_ip: nodeIp, tcp_port: 7881, port_range_start: 50000, port_range_end: 60000 },
    });
    expect(services.notes.join('\n')).toContain(
      `LiveKit (dev, key devkey): ws://${nodeIp}:7880 on 0.0.0.0, media at ${nodeIp}`,
    );
    expect((await fetch(`http://${nodeIp}:7880/`)).status).toBe(200);
  });
});
