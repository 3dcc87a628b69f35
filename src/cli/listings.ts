// --list-hosts and --list-tasks, laid out as ansible-playbook prints them.
import type { Playbook, PlayTask } from '../playbook/types.js';

/** `--list-hosts`: each play with its pattern and the hosts it targets. */
export function listHosts(playbook: Playbook, hostsPerPlay: readonly (readonly string[])[]): string {
  const lines = [`playbook: ${playbook.path}`];
  playbook.plays.forEach((play, index) => {
    const hosts = hostsPerPlay[index] ?? [];
    lines.push('', `  play #${index + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(',')}]`);
    lines.push(`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((host) => `      ${host}`));
  });
  return `${lines.join('\n')}\n`;
}

function taskLines(tasks: readonly PlayTask[], inherited: readonly string[], out: string[]): void {
  for (const task of tasks) {
    const tags = [...new Set([...inherited, ...task.tags])];
    switch (task.kind) {
      case 'task':
        out.push(`      ${task.name ?? task.module}\tTAGS: [${tags.join(', ')}]`);
        break;
      case 'block':
        taskLines([...task.block, ...task.rescue, ...task.always], tags, out);
        break;
      case 'include':
        out.push(`      ${task.role === undefined ? 'include_tasks' : 'include_role'}: ${task.file}\tTAGS: [${tags.join(', ')}]`);
        break;
      case 'meta':
        out.push(`      meta: ${task.action}\tTAGS: [${tags.join(', ')}]`);
        break;
    }
  }
}

/** `--list-tasks`: each play's tasks with their tags. */
export function listTasks(playbook: Playbook): string {
  const lines = [`playbook: ${playbook.path}`];
  playbook.plays.forEach((play, index) => {
    lines.push('', `  play #${index + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(',')}]`, '    tasks:');
    taskLines([...play.preTasks, ...play.tasks, ...play.postTasks], play.tags, lines);
  });
  return `${lines.join('\n')}\n`;
}

function collectTags(tasks: readonly PlayTask[], inherited: readonly string[], out: Set<string>): void {
  for (const tag of inherited) out.add(tag);
  for (const task of tasks) {
    const tags = [...inherited, ...task.tags];
    for (const tag of tags) out.add(tag);
    if (task.kind === 'block') collectTags([...task.block, ...task.rescue, ...task.always], tags, out);
  }
}

/** `--list-tags`: each play with the tags its tasks carry, as ansible-playbook prints them. */
export function listTags(playbook: Playbook): string {
  const lines = [`playbook: ${playbook.path}`];
  playbook.plays.forEach((play, index) => {
    const tags = new Set<string>();
    collectTags([...play.preTasks, ...play.tasks, ...play.postTasks], play.tags, tags);
    lines.push('', `  play #${index + 1} (${play.hosts}): ${play.name}\tTAGS: [${play.tags.join(',')}]`, `      TASK TAGS: [${[...tags].sort().join(', ')}]`);
  });
  return `${lines.join('\n')}\n`;
}
