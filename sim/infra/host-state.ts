// A host's power state as `status` reports it, kept in DIR/hosts/simK/state.json by whoever
// changes it (`up`, the reboot supervisor).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { SimError } from './sim-error.js';

/** up: accepts SSH; down: off, rebooting, or its boot failed; hanging: its kernel hung at boot, until power-cycle. */
export type PowerState = 'up' | 'down' | 'hanging';

/** The content of state.json. */
export interface HostStateRecord {
  readonly state: PowerState;
  /** ISO time of the last change. */
  readonly since: string;
  /** How many times the host booted (sim-boot ran) since `up`. */
  readonly boots: number;
  /** Why the host is in this state, when it is not plainly up ("rebooting", "sim-boot exited 2: …"). */
  readonly detail?: string;
  /** The last power-cycle request token the supervisor finished. */
  readonly completedRequest?: string;
}

/** Replace state.json atomically (readers never see half a file). */
export async function writeHostState(file: string, record: HostStateRecord): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record)}\n`);
  await rename(temporary, file);
}

/** Read state.json, or undefined when the host never started. */
export async function readHostState(file: string): Promise<HostStateRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const value = JSON.parse(text) as Partial<HostStateRecord>;
  if (value.state !== 'up' && value.state !== 'down' && value.state !== 'hanging') {
    throw new SimError(`${file}: unknown state ${JSON.stringify(value.state)}`);
  }
  return {
    state: value.state,
    since: String(value.since),
    boots: Number(value.boots ?? 0),
    ...(value.detail === undefined ? {} : { detail: value.detail }),
    ...(value.completedRequest === undefined ? {} : { completedRequest: value.completedRequest }),
  };
}
