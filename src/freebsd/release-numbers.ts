// A FreeBSD release name as freebsd-version and uname -r print it (`13.5-RELEASE-p2`, `15.0-RELEASE`,
// `14.3-STABLE`): its major and minor numbers, for the checks that compare releases.

/** `13.5-RELEASE-p2` → [13, 5]; undefined when the text names no release. */
export function releaseNumbers(text: string): readonly [number, number] | undefined {
  const match = /^(\d+)\.(\d+)-/.exec(text.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2])];
}
