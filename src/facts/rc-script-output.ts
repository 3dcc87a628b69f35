// What one read-only rc.d command prints (`service NAME rcvar`, `status`, `enabled`, `describe`,
// `extracommands`; `service -e`): rc.subr's run_rc_command answers these without starting or
// stopping anything (libexec/rc/rc.subr, freebsd-src main; docs/freebsd/pkg-service.md).
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { serviceCall } from './service-status.js';

/** The command's exit code and its two streams, as printed. */
export interface RcScriptOutput {
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
}

function parseOutput(output: FactOutput): RcScriptOutput {
  return { rc: output.exitCode, stdout: output.stdout, stderr: output.stderr };
}

/** `service NAME COMMAND` for a command rc.subr runs without changing the host. */
export function rcScriptOutputFact(script: string, command: string): Fact<RcScriptOutput> {
  return defineFact(`rc-script:${script}:${command}`, sh`${serviceCall(script, command)} </dev/null`, parseOutput);
}

/** `service -e`: the rc.d scripts enabled at boot, one path a line (usr.sbin/service/service.sh). */
export const enabledServicesFact: Fact<RcScriptOutput> = defineFact('rc-script:-e', sh`service -e </dev/null`, parseOutput);
