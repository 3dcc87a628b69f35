// One TransportFactory for the run: `ansible_connection: local` hosts run on the controller,
// every other host goes to the ssh factory.
import { LocalTransport } from '../transport/local.js';
import type { ConnectionSettings, Transport, TransportFactory } from '../transport/transport.js';

/** Local hosts get a LocalTransport; ssh hosts are opened by `ssh`. */
export function connectionFactory(ssh: TransportFactory): TransportFactory {
  return {
    open(settings: ConnectionSettings): Transport {
      return settings.connection === 'local' ? new LocalTransport(settings.host) : ssh.open(settings);
    },
    closeAll: () => ssh.closeAll(),
  };
}
