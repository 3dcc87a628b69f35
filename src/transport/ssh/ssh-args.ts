// Ansible's `ansible_ssh_common_args` / `ansible_ssh_extra_args`: OpenSSH command-line options,
// turned into keyword/value options so they resolve like ~/.ssh/config entries.
import { splitShellWords } from '../../text/shell-words.js';
import type { SshOption } from './ssh-option.js';

/** ssh(1) flags that take a value, mapped to the config keyword they set. */
const FLAG_KEYWORDS: Readonly<Record<string, string>> = {
  p: 'Port',
  l: 'User',
  i: 'IdentityFile',
  J: 'ProxyJump',
  F: 'ConfigFile',
};

/** ssh(1) flags with a value that beastie does not act on (kept only to skip their value). */
const OTHER_VALUE_FLAGS = 'bcDEeILmOQRSWw';

/** Parses `-o Key=Value`, `-oKey Value`, `-p 2222`, `-J jump`, `-i key`, `-l user`. */
export function parseSshArgs(text: string, origin = 'ansible_ssh_common_args'): SshOption[] {
  // Split as Ansible's ssh connection does (shlex.split, no comments).
  const words = splitShellWords(text, { comments: false }).map((word) => word.text);
  const options: SshOption[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    if (!word.startsWith('-') || word.length < 2) {
      options.push({ keyword: 'Unparsed', value: word, origin });
      continue;
    }
    const flag = word[1] ?? '';
    const attached = word.slice(2);
    const needsValue = flag === 'o' || flag in FLAG_KEYWORDS || OTHER_VALUE_FLAGS.includes(flag);
    if (!needsValue) {
      options.push({ keyword: `-${flag}`, value: attached, origin });
      continue;
    }
    let value = attached;
    if (value === '') {
      i += 1;
      value = words[i] ?? '';
      if (value === '') throw new Error(`${origin}: ${word} needs a value`);
    }
    if (flag === 'o') {
      const match = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(value);
      if (!match) throw new Error(`${origin}: cannot read -o ${value} (want Keyword=value)`);
      options.push({ keyword: match[1] ?? '', value: (match[2] ?? '').trim(), origin });
    } else {
      options.push({ keyword: FLAG_KEYWORDS[flag] ?? `-${flag}`, value, origin });
    }
  }
  return options;
}
