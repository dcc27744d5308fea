import { execFile } from 'node:child_process';
import { access, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '@affection/config';
import { findBinary, productionProblems } from '@affection/runtime';
import {
  findLivekitBinary,
  getFreeTcpPort,
  livekitInstallHint,
  spawnUntilReady,
  stopProcess,
  testEnv,
} from '@affection/test-support';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_MEMORY_FLAGS } from '../../scripts/node-memory-flags.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const deployDir = path.join(root, 'deploy');
const read = (name: string) => readFile(path.join(deployDir, name), 'utf8');

/** A unit file as `[section] → key → values` (a key may repeat; comments and blank lines dropped). */
type Unit = Map<string, Map<string, string[]>>;

function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header?.[1]) {
      section = new Map();
      unit.set(header[1], section);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair?.[1] || !section) throw new Error(`not a unit file line: ${raw}`);
    section.set(pair[1], [...(section.get(pair[1]) ?? []), pair[2] ?? '']);
  }
  return unit;
}

const keyOf = (unit: Unit, section: string, key: string) => unit.get(section)?.get(key)?.at(-1);

/** Every key the two units may use: what systemd-analyze would call unknown, for machines without it. */
const KNOWN_KEYS: Record<string, string[]> = {
  Unit: ['Description', 'Documentation', 'After', 'Wants', 'Requires'],
  Service: [
    'Type',
    'User',
    'Group',
    'WorkingDirectory',
    'EnvironmentFile',
    'Environment',
    'ExecStart',
    'KillSignal',
    'TimeoutStopSec',
    'Restart',
    'RestartSec',
    'NoNewPrivileges',
    'ProtectSystem',
    'ProtectHome',
    'ReadWritePaths',
    'StateDirectory',
    'PrivateTmp',
    'PrivateDevices',
    'ProtectKernelTunables',
    'ProtectKernelModules',
    'ProtectKernelLogs',
    'ProtectControlGroups',
    'ProtectClock',
    'ProtectHostname',
    'RestrictAddressFamilies',
    'RestrictNamespaces',
    'RestrictRealtime',
    'RestrictSUIDSGID',
    'LockPersonality',
    'CapabilityBoundingSet',
    'UMask',
  ],
  Install: ['WantedBy'],
};

const UNITS = [
  { file: 'affection-server.service', app: 'server' },
  { file: 'affection-worker.service', app: 'worker' },
] as const;

describe.each(UNITS)('deploy/$file', ({ file, app }) => {
  it(`starts the built ${app} with Node as its own user, restarts on failure and reads the environment file`, async () => {
    const unit = parseUnit(await read(file));
    expect(keyOf(unit, 'Service', 'ExecStart')).toBe(
      `/usr/bin/node ${NODE_MEMORY_FLAGS.join(' ')} /opt/affection-phone/apps/${app}/dist/main.js`,
    );
    // The entry is what the build makes of the app's main.
    await access(path.join(root, 'apps', app, 'src', 'main.ts'));
    expect(keyOf(unit, 'Service', 'WorkingDirectory')).toBe('/opt/affection-phone');
    expect(keyOf(unit, 'Service', 'User')).toBe('affection');
    expect(keyOf(unit, 'Service', 'Group')).toBe('affection');
    expect(keyOf(unit, 'Service', 'Restart')).toBe('on-failure');
    expect(keyOf(unit, 'Service', 'EnvironmentFile')).toBe('/etc/affection-phone/affection.env');
    expect(keyOf(unit, 'Service', 'Environment')).toBe('NODE_ENV=production');
    expect(keyOf(unit, 'Service', 'KillSignal')).toBe('SIGTERM');
    expect(keyOf(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('is hardened: no new privileges, a read-only system but for its state folder, no capabilities', async () => {
    const unit = parseUnit(await read(file));
    expect(keyOf(unit, 'Service', 'NoNewPrivileges')).toBe('true');
    expect(keyOf(unit, 'Service', 'ProtectSystem')).toBe('strict');
    expect(keyOf(unit, 'Service', 'ReadWritePaths')).toBe('/var/lib/affection-phone');
    expect(keyOf(unit, 'Service', 'ProtectHome')).toBe('true');
    expect(keyOf(unit, 'Service', 'PrivateTmp')).toBe('true');
    expect(keyOf(unit, 'Service', 'CapabilityBoundingSet')).toBe('');
    // The state folder is the DATA_DIR of the environment template.
    expect(await read('affection.env.example')).toContain('\nDATA_DIR=/var/lib/affection-phone\n');
  });

  it('passes systemd-analyze verify (or, where systemd is not installed, uses only keys systemd knows)', async () => {
    const unitText = await read(file);
    const analyze = findBinary(['systemd-analyze'], testEnv.searchPath, ['/usr/bin', '/bin']);
    if (analyze === undefined) {
      for (const [section, keys] of parseUnit(unitText)) {
        expect(KNOWN_KEYS[section], `section [${section}]`).toBeDefined();
        for (const key of keys.keys()) expect(KNOWN_KEYS[section], `${section}.${key}`).toContain(key);
      }
      return;
    }
    // verify checks that ExecStart's program exists: point it at this Node where the machine has no /usr/bin/node.
    const folder = await mkdtemp(path.join(os.tmpdir(), 'affection-units-'));
    try {
      const copy = path.join(folder, file);
      await writeFile(copy, unitText.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
      const result = await run(analyze, ['verify', '--man=no', copy]).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      // systemd-analyze exits 0 on a bad value or an unknown key, and only says so on stderr.
      expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 0, stderr: '' });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('deploy/livekit.yaml', () => {
  it('is read by the real livekit-server: media, TCP fallback and TURN ports as the guide opens them', async () => {
    const binary = findLivekitBinary();
    if (!binary) throw new Error(livekitInstallHint());
    const folder = await mkdtemp(path.join(os.tmpdir(), 'affection-livekit-yaml-'));
    try {
      // STUN is not reachable from every test machine: name the address instead (nothing else changes).
      const text = (await read('livekit.yaml')).replace(
        'use_external_ip: true',
        'use_external_ip: false\n  node_ip: 192.0.2.10',
      );
      expect(text).toContain('node_ip: 192.0.2.10');
      const config = path.join(folder, 'livekit.yaml');
      await writeFile(config, text);
      const { stdout } = await run(binary, ['--config', config, 'ports']);
      expect(stdout).toContain('7880 - HTTP service');
      expect(stdout).toContain('7881 - ICE/TCP');
      expect(stdout).toContain('5349 - TURN/TLS');
      expect(stdout).toContain('50000-60000 - ICE/UDP range');
      expect(stdout).toContain('3478 - TURN/UDP');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('is refused by livekit-server when a key is misspelt (the check above can fail)', async () => {
    const binary = findLivekitBinary();
    if (!binary) throw new Error(livekitInstallHint());
    const folder = await mkdtemp(path.join(os.tmpdir(), 'affection-livekit-yaml-'));
    try {
      const config = path.join(folder, 'livekit.yaml');
      await writeFile(config, (await read('livekit.yaml')).replace('tcp_port:', 'tcp_prot:'));
      const outcome = await run(binary, ['--config', config, 'ports']).then(
        ({ stdout, stderr }) => stdout + stderr,
        (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
      );
      expect(outcome).toContain('field tcp_prot not found');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('deploy/redis-affection.conf', () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('gives a Redis started with it the append-only file and noeviction', async () => {
    const redisServer = findBinary(['redis-server'], testEnv.searchPath, ['/usr/bin', '/usr/sbin', '/usr/local/bin']);
    if (!redisServer)
      throw new Error('redis-server was not found. Install it with: sudo apt-get install -y redis-server');
    const folder = await mkdtemp(path.join(os.tmpdir(), 'affection-redis-conf-'));
    const config = path.join(folder, 'redis.conf');
    await copyFile(path.join(deployDir, 'redis-affection.conf'), config);
    const port = await getFreeTcpPort();
    const running = await spawnUntilReady({
      command: redisServer,
      args: [config, '--port', String(port), '--dir', folder, '--daemonize', 'no', '--save', ''],
      label: 'redis-server with deploy/redis-affection.conf',
      readyWhen: (line) => line.includes('Ready to accept connections'),
    });
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    stops.push(async () => {
      client.disconnect();
      await stopProcess(running, 'SIGTERM', 3_000);
      await rm(folder, { recursive: true, force: true });
    });
    await client.connect();
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(1024 ** 3)]);
  });
});

describe('deploy/affection.env.example', () => {
  /** The template as the environment systemd gives the processes (comments and blank lines dropped). */
  async function templateEnv(): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const line of (await read('affection.env.example')).split('\n')) {
      const pair = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (pair?.[1]) env[pair[1]] = pair[2] ?? '';
    }
    return env;
  }

  it('passes the configuration check and the production checks as it stands', async () => {
    const env = await templateEnv();
    const config = loadConfig(env, '/');
    expect(config.nodeEnv).toBe('production');
    expect(config.host).toBe('127.0.0.1');
    expect(config.trustProxy).toBe(true);
    expect(config.databaseUrl).toMatch(/^postgresql:\/\//);
    expect(config.livekit?.url).toBe('wss://livekit.example.com');
    expect(productionProblems(config, { startsDevLivekit: false, seedsDemoHome: false })).toEqual([]);
  });

  it('would be refused in production with a plain http PUBLIC_URL (the check above can fail)', async () => {
    const config = loadConfig({ ...(await templateEnv()), PUBLIC_URL: 'http://phone.example.com' }, '/');
    expect(productionProblems(config, { startsDevLivekit: false, seedsDemoHome: false })).toEqual([
      expect.stringContaining('PUBLIC_URL is http://phone.example.com'),
    ]);
  });
});

describe('the reverse proxies point at the ports the server and LiveKit listen on', () => {
  it('Caddyfile', async () => {
    const caddy = await read('Caddyfile');
    const env = await read('affection.env.example');
    const livekit = await read('livekit.yaml');
    expect(env).toContain('\nPORT=3000\n');
    expect(livekit).toMatch(/^port: 7880$/m);
    expect(caddy).toMatch(/^phone\.example\.com \{\n[\s\S]*?reverse_proxy 127\.0\.0\.1:3000 /m);
    expect(caddy).toMatch(/^livekit\.example\.com \{\n\treverse_proxy 127\.0\.0\.1:7880\n\}/m);
    expect(env).toContain('\nPUBLIC_URL=https://phone.example.com\n');
    // Where Caddy is installed, it reads the file too.
    const caddyBinary = findBinary(['caddy'], testEnv.searchPath, ['/usr/bin', '/usr/local/bin']);
    if (caddyBinary) {
      const { stdout } = await run(caddyBinary, ['validate', '--config', path.join(deployDir, 'Caddyfile')], {
        cwd: os.tmpdir(),
      });
      expect(stdout).toContain('Valid configuration');
    }
  });

  it('nginx.conf, with TURN over TLS on 443 passed through to LiveKit', async () => {
    const nginx = await read('nginx.conf');
    const livekit = await read('livekit.yaml');
    expect(nginx).toContain('proxy_pass http://127.0.0.1:3000;');
    expect(nginx).toContain('proxy_pass http://127.0.0.1:7880;');
    expect(livekit).toMatch(/^ {2}domain: turn\.example\.com$/m);
    expect(livekit).toMatch(/^ {2}tls_port: 5349$/m);
    expect(nginx).toMatch(/turn\.example\.com 127\.0\.0\.1:5348;/);
    expect(nginx).toMatch(/listen 127\.0\.0\.1:5348 proxy_protocol;\n\t\tproxy_pass 127\.0\.0\.1:5349;/);
    // The event streams pass through unbuffered.
    expect(nginx).toContain('proxy_buffering off;');
    // Where nginx (with its stream module) and openssl are installed, `nginx -t` reads a copy with throwaway
    // certificates and the pid and logs in a temporary folder.
    const nginxBinary = findBinary(['nginx'], testEnv.searchPath, ['/usr/sbin', '/usr/bin']);
    const openssl = findBinary(['openssl'], testEnv.searchPath, ['/usr/bin']);
    if (nginxBinary && openssl) {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'affection-nginx-'));
      try {
        const [cert, key] = [path.join(folder, 'cert.pem'), path.join(folder, 'key.pem')];
        await run(
          openssl,
          ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test'].concat([
            '-keyout',
            key,
            '-out',
            cert,
          ]),
        );
        const copy = nginx
          .replace(/\/etc\/letsencrypt\/live\/[a-z.]+\/fullchain\.pem/g, cert)
          .replace(/\/etc\/letsencrypt\/live\/[a-z.]+\/privkey\.pem/g, key)
          .replace(/^pid .*$/m, `pid ${path.join(folder, 'nginx.pid')};`)
          .replaceAll('/var/log/nginx/', `${folder}/`);
        await writeFile(path.join(folder, 'nginx.conf'), copy);
        const { stderr } = await run(nginxBinary, ['-t', '-c', path.join(folder, 'nginx.conf')]);
        expect(stderr).toContain('test is successful');
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }
  });
});
