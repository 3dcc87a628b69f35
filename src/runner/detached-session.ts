// The session an `async:` task runs through: the same host, jail, become and fact cache, but
// every command it runs goes through DetachedTransport (started with nohup, polled).
import { formatSourceRef } from '../source.js';
import type { ModuleTask } from '../playbook/types.js';
import { HostSession, waitForConnection } from './host-session.js';
import { DetachedTransport, type AsyncOptions } from '../transport/detached-transport.js';

/** `session` with its commands detached, for a task with `async:` (and `poll:` above 0). */
export function detachedSession(session: HostSession, task: ModuleTask, progress: AsyncOptions['progress']): HostSession {
  if (task.asyncSeconds === undefined || task.asyncSeconds <= 0) return session;
  const transport = new DetachedTransport(session.transport, {
    asyncSeconds: task.asyncSeconds,
    pollSeconds: Math.max(1, task.pollSeconds),
    taskId: formatSourceRef(task.source),
    progress,
    reconnect: async (timeoutMs) => {
      await waitForConnection(session.transport, { timeoutMs });
    },
  });
  return new HostSession(transport, session.runOptions, () => session.invalidateFacts(), session.facts, () => session.lease);
}
