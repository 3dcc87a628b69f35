import { afterAll, describe, expect, it } from 'vitest';
import { hostSandbox } from '../host-sandbox.js';

const host = hostSandbox('current');
afterAll(() => host.dispose());

describe('nc and sockstat (simulated, over the machine\'s network stack)', () => {
  it("nc -z succeeds on a listening port and fails on a closed one; sockstat -l lists the listener in sockstat's columns", () => {
    const port = 30000 + Math.floor(Math.random() * 20000);
    const script = [
      `perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => ${port}, Listen => 5, ReuseAddr => 1) or die; alarm 20; $c = $s->accept; print $c "hello\\n"; sleep 3' &`,
      // Wait for the listener with a deadline, not a fixed sleep.
      `i=0; until sockstat -4 -l -P tcp -p ${port} | grep -q tcp4 || [ $i -ge 100 ]; do i=$((i + 1)); sleep 0.1; done`,
      `sockstat -4 -l -P tcp -p ${port}`,
      `nc -w 2 127.0.0.1 ${port} </dev/null`,
      `echo rc=$?`,
      `nc -z -v -w 1 127.0.0.1 ${port + 1}; echo rc=$?`,
    ].join('\n');
    const result = host.run(script);
    expect(result.stdout).toBe(
      'USER     COMMAND    PID   FD PROTO  LOCAL ADDRESS         FOREIGN ADDRESS      \n' +
        `?        ?          ?     ?  tcp4   ${`127.0.0.1:${port}`.padEnd(21)} *:*                  \n` +
        'hello\nrc=0\nrc=1\n',
    );
    expect(result.stderr).toBe(`nc: connect to 127.0.0.1 port ${port + 1} (tcp) failed: Connection refused\n`);
  });
});
