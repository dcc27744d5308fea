import dgram from 'node:dgram';
import getPort from 'get-port';

/** A free TCP port on the loopback interface. */
export function getFreeTcpPort(): Promise<number> {
  return getPort({ host: '127.0.0.1' });
}

/** A free UDP port on the loopback interface (the OS picks it; we release it at once). */
export function getFreeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
