// One TransportFactory for the run: `ansible_connection: local` hosts run on the controller,
// every other host goes to the ssh factory. closeAll (the run's end, Ctrl-C after its grace)
// closes both kinds: a local transport's close kills the commands it still runs.
import { LocalTransport } from '../transport/local.js';
import type { ConnectionSettings, Transport, TransportFactory } from '../transport/transport.js';

/** Local hosts get a LocalTransport; ssh hosts are opened by `ssh`. */
export function connectionFactory(ssh: TransportFactory): TransportFactory {
  const locals: LocalTransport[] = [];
  return {
    open(settings: ConnectionSettings): Transport {
      if (settings.connection !== 'local') return ssh.open(settings);
      const local = new LocalTransport(settings.host);
      locals.push(local);
      return local;
    },
    closeAll: async () => {
      await Promise.all([ssh.closeAll(), ...locals.map((local) => local.close())]);
    },
  };
}
