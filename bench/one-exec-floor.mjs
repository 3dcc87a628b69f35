// The physical floor of a no-change re-run (issue 13): one ssh2 connection per host, all hosts at
// once, and ONE exec per host that reads everything W1's 20 tasks need (bench/floor-commands.ts
// joined into one /bin/sh line). Plain JavaScript run by node itself, so it pays Node's start-up
// and ssh2's handshake as beastie does, and nothing else.
// usage: node one-exec-floor.mjs HOSTS_FILE COMMANDS_FILE KEY KNOWN_HOSTS KEX
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const [hostsFile, commandsFile, keyFile, knownHostsFile, kex] = process.argv.slice(2);
if (kex === undefined) {
  process.stderr.write('usage: one-exec-floor.mjs HOSTS_FILE COMMANDS_FILE KEY KNOWN_HOSTS KEX\n');
  process.exit(2);
}
const hosts = readFileSync(hostsFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' '));
// Each command in a subshell, its status ignored as floor.sh ignores it.
const command = readFileSync(commandsFile, 'utf8').split('\n').filter(Boolean).map((c) => `(${c}) 2>&1`).join('; ');
const privateKey = readFileSync(keyFile);
// Host keys are checked, as every timed tool checks them: the base64 key of each known_hosts line.
const known = new Set(readFileSync(knownHostsFile, 'utf8').split('\n').map((line) => line.trim().split(/\s+/)[2]).filter(Boolean));

function oneHost([address, port]) {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client
      .on('ready', () => {
        client.exec(`/bin/sh -c '${command.replaceAll("'", "'\\''")}'`, (error, stream) => {
          if (error) return reject(error);
          stream.on('data', () => undefined).stderr.on('data', () => undefined);
          stream.on('close', () => {
            client.end();
            resolve();
          });
        });
      })
      .on('error', (error) => reject(new Error(`${address}:${port}: ${error.message}`)))
      .connect({
        host: address,
        port: Number(port),
        username: 'root',
        privateKey,
        readyTimeout: 120_000,
        algorithms: { kex: [kex, `${kex}@libssh.org`] },
        hostVerifier: (key) => known.has(key.toString('base64')),
      });
  });
}

const results = await Promise.allSettled(hosts.map(oneHost));
const failed = results.filter((r) => r.status === 'rejected');
for (const failure of failed) process.stderr.write(`one-exec floor: ${failure.reason}\n`);
process.exit(failed.length === 0 ? 0 : 1);
