// A path as a command's operand: a relative path that starts with `-` would be read as options by
// every tool beastie runs on it (touch, mkdir, rm, ln, chmod, chown, stat, readlink, realpath, od,
// sha256, file…), so it is given `./`, which names the same file. Every other path is unchanged, so
// the commands of absolute paths read as before. (find(1) is its own case: modules/find.ts.)

/** `path` as an operand no tool reads as an option: `./PATH` when it is relative and starts with `-`. */
export function pathOperand(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}
