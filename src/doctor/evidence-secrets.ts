// Evidence is shown whole (the terminal, --json, the HTML report), and the files doctor reads for
// it are the host's own: rc.conf and a jail's rc.conf may set a service's password, a guest's
// NAME.conf and vm-bhyve's log of the bhyve command line may carry a VNC password (bhyve(8)'s
// fbuf `password=`). No check needs such a value, so it is never shown.

/** A variable name that holds a secret: …password, …passwd, …secret, …token, …_key, …psk. */
const SECRET_NAME = /(password|passwd|passphrase|secret|token|credential)|(^|_)(psk|key)$/i;

/** An rc.conf-style assignment on a line of its own: NAME=VALUE, the value quoted or not. */
const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=(["']?)(.*?)\3(\s*(?:#.*)?)$/gm;

/** bhyve's `password=` option in a comma list (fbuf), and the like in other option strings. */
const PASSWORD_OPTION = /(\bpassword=)[^,\s"']*/gi;

const MASK = '********';

/** `text` with every secret value shown as ********, everything else as it was. */
export function withoutSecrets(text: string): string {
  return text
    .replace(ASSIGNMENT, (line: string, lead: string, name: string, quote: string, _value: string, tail: string) =>
      SECRET_NAME.test(name) ? `${lead}${name}=${quote}${MASK}${quote}${tail}` : line,
    )
    .replace(PASSWORD_OPTION, `$1${MASK}`);
}
