// The nonce that the markers framing one command's output carry (a fact batch's, a sectioned
// read's, the host lock's refusal): the host's files and tools print what they like, so a marker
// they could write themselves would let them end a part early and start a forged one. A fresh
// random nonce per command is what no file written before the command was built can contain.
//
// It is in the command's text, so a host user who lists processes while the command runs (ps, where
// security.bsd.see_other_uids is not 0) sees it. A sectioned read's frame adds a part made on the
// host, which no command line holds (sections.ts); a fact batch's markers do not yet: what a user
// who reads it can and cannot do is in docs/output-framing.md.
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one command's markers: 12 hex digits. */
export function outputNonce(): string {
  return randomBytes(6).toString('hex');
}
