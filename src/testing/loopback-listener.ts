/**
 * Test helper: a TCP listener on this machine's 127.0.0.1 that counts the connections it gets,
 * and the perl line a hostile script uses to reach it (perl is Essential in every Debian rootfs).
 */
import { createServer } from 'node:net';

export interface CountingListener {
  readonly port: number;
  connections(): number;
  close(): void;
}

export async function countingListener(): Promise<CountingListener> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the listener has no port');
  return { port: address.port, connections: () => connections, close: () => server.close() };
}

/** perl code that connects to 127.0.0.1:`port`, printing "connected", or dying with "connect: <why>". */
export function perlConnect(port: number): string {
  return `IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => ${port}, Timeout => 5) or die "connect: $!\\n"; print "connected\\n";`;
}
