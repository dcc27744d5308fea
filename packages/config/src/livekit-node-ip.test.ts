import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

describe('LIVEKIT_NODE_IP', () => {
  it('is undefined when unset or empty: the LAN address is found by itself', () => {
    expect(loadConfig({}).livekitNodeIp).toBeUndefined();
    expect(loadConfig({ LIVEKIT_NODE_IP: '' }).livekitNodeIp).toBeUndefined();
  });

  it('takes an IPv4 address and refuses anything else, naming the variable', () => {
    expect(loadConfig({ LIVEKIT_NODE_IP: '192.168.1.20' }).livekitNodeIp).toBe('192.168.1.20');
    for (const bad of ['192.168.1', '192.168.1.256', 'school-server', 'fe80::1']) {
      let caught: unknown;
      try {
        loadConfig({ LIVEKIT_NODE_IP: bad });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).problems).toEqual([
        { variable: 'LIVEKIT_NODE_IP', message: expect.stringContaining('must be an IPv4 address') },
      ]);
    }
  });
});
