// bin/beastie.js as `npx beastie` runs it: a real process, exit codes included.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/beastie.js', import.meta.url));

function beastie(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('bin/beastie.js', () => {
  it('prints the help and exits 0; an unknown command exits 5', async () => {
    const help = await beastie(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('beastie play PLAYBOOK -i INVENTORY');
    const unknown = await beastie(['frobnicate']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  }, 30_000);
});
