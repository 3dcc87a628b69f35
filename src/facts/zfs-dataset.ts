// One ZFS dataset as zfs(8) reports it (docs/freebsd/zfs.md): whether it exists, and each property's
// exact value and source from `zfs get -H -p -o property,value,source all NAME` — tab-separated,
// numbers in bytes. community.general.zfs reads the same listing.
import { sh } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';

/** A property's value and where it comes from: `local`, `default`, `inherited from X`, `-`… */
export interface ZfsProperty {
  readonly value: string;
  readonly source: string;
}

/** The dataset, or that there is none (`zfs list` exits 1: "dataset does not exist"). */
export type ZfsDataset = { readonly exists: false } | { readonly exists: true; readonly properties: ReadonlyMap<string, ZfsProperty> };

/** Parse `zfs get -H -p -o property,value,source` lines. */
export function parseZfsProperties(text: string): Map<string, ZfsProperty> {
  const properties = new Map<string, ZfsProperty>();
  for (const line of text.split('\n')) {
    const [property, value, source] = line.split('\t');
    if (property && value !== undefined && source !== undefined) properties.set(property, { value, source });
  }
  return properties;
}

/** The dataset (file system, volume or snapshot) `name`. */
export function zfsDatasetFact(name: string): Fact<ZfsDataset> {
  return defineFact(
    `zfs-dataset:${name}`,
    sh`if zfs list -H -o name -t all ${name} >/dev/null 2>&1; then echo exists; zfs get -H -p -o property,value,source all ${name}; else echo absent; fi`,
    (output) => {
      const [first, ...rest] = output.stdout.split('\n');
      if (first !== 'exists') return { exists: false };
      return { exists: true, properties: parseZfsProperties(rest.join('\n')) };
    },
  );
}
