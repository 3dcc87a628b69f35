// The nonce that the markers framing one command's output carry (a fact batch's, a sectioned
// read's, the host lock's refusal): the host's files and tools print what they like, so a marker
// they could write themselves would let them end a part early and start a forged one. A fresh
// random nonce per command is what no file written before the command was built can contain.
//
// The controller's part is in the command's text, so a host user who lists processes while the
// command runs (ps, where security.bsd.see_other_uids is not 0) sees it. A fact batch's and a
// sectioned read's nonce therefore add a part made on the host ({@link hostNonce}), which no
// command line holds, and the output announces it before anything of the host's is printed
// (read-facts.ts, sections.ts; docs/output-framing.md).
import { raw, sh, type Command } from '../command/command.js';
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one command's markers: 12 hex digits. */
export function outputNonce(): string {
  return randomBytes(6).toString('hex');
}

/**
 * The shell word of a nonce made on the host, and the command that makes it: the controller's
 * part (`word`, also in the variable's name) then 16 hex digits from the host's /dev/urandom
 * (od(1), FreeBSD usr.bin/hexdump/odsyntax.c: -A n, -N, -t x1; `tr -dc 0-9a-f` drops the spaces
 * and the newline). The variable is not exported, and reaches the output only through printf,
 * which FreeBSD's sh has built in (bin/sh/Makefile builds usr.bin/printf/printf.c into it), so the
 * host's part is in no process's argv or environment: a user who reads the command with ps learns
 * only `word`. Where /dev/urandom cannot be read the digits come from kern.arandom ({@link HOST_RANDOM}).
 */
export function hostNonce(word: string): { readonly make: Command; readonly value: Command } {
  const variable = `beastie_nonce_${word}`;
  // The host's part is read once per shell: the first frame or batch to need it reads
  // /dev/urandom, and every frame inside it (a fact batch runs its facts in subshells, which
  // inherit the variable) reuses it behind its own controller word, so a batch of N sectioned
  // facts costs one od and tr, not N + 1.
  return {
    make: sh`${raw(HOST_PART)}=\${${raw(HOST_PART)}-$(${raw(HOST_RANDOM)} 2>/dev/null | tr -dc 0-9a-f)}; ${raw(variable)}=${raw(word)}$${raw(HOST_PART)}`,
    value: sh`"$${raw(variable)}"`,
  };
}

/**
 * 8 random bytes made on the host, as od's hex: /dev/urandom, or where it cannot be read (a jail
 * whose devfs ruleset hides it, a jail without devfs) the kernel's own generator through
 * `sysctl -B 8 -b kern.arandom` (sys/kern/kern_mib.c sysctl_kern_arnd: read_random(9), as many
 * bytes as the buffer holds, at most 256; sbin/sysctl/sysctl.c: -B sizes the buffer, which its
 * probe read would leave at 0 for this OID, -b prints the bytes raw). A read-only sysctl, which
 * FreeBSD answers in any jail (no CTLFLAG_PRISON needed to read), from /sbin, which every jail's
 * userland holds. It prints nothing only where random(4) is not seeded yet, where /dev/urandom
 * would block rather than fail; then the nonce is the controller's word alone.
 */
const HOST_RANDOM = '{ od -An -N8 -tx1 /dev/urandom || sysctl -B 8 -b kern.arandom | od -An -tx1; }';

/** The unexported shell variable holding the host's part of every nonce of one command. */
const HOST_PART = 'beastie_host_part';
