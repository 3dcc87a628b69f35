// Counting channels and connections in sshd DEBUG1 log text (OpenSSH 9.2's wording).
import { describe, expect, it } from 'vitest';
import { countChannels } from '../../bench/channel-count.js';

const LOG = `debug1: Connection from 127.0.0.1 port 40000 on 127.2.1.1 port 2222 rdomain ""
debug1: kex: algorithm: curve25519-sha256 [preauth]
debug1: server_input_channel_open: ctype session rchan 0 win 2097152 max 32768
debug1: session_new: session 0
debug1: session_input_channel_req: session 0 req env
debug1: session_input_channel_req: session 0 req exec
debug1: server_input_channel_open: ctype session rchan 1 win 2097152 max 32768
debug1: session_input_channel_req: session 1 req subsystem
debug1: server_input_channel_open: ctype direct-tcpip rchan 2 win 2097152 max 32768
debug1: kex: algorithm: sntrup761x25519-sha512@openssh.com [preauth]
`;

describe('countChannels', () => {
  it('counts session channels, exec and subsystem requests, and key exchanges by algorithm', () => {
    expect(countChannels(LOG)).toEqual({
      sessions: 2,
      exec: 1,
      subsystem: 1,
      connections: 2,
      kex: { 'curve25519-sha256': 1, 'sntrup761x25519-sha512@openssh.com': 1 },
    });
  });

  it('counts nothing in a log without DEBUG1 lines', () => {
    expect(countChannels('Server listening on 127.2.1.1 port 2222.\n')).toEqual({ sessions: 0, exec: 0, subsystem: 0, connections: 0, kex: {} });
  });
});
