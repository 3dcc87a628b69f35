// The become plugins beastie runs, by every name Ansible resolves to them: the short name, its
// FQCN and ansible.legacy's. sudo and su ship with ansible-core (ansible.builtin); doas lives in
// community.general, and ansible-core's plugin routing (config/ansible_builtin_runtime.yml,
// plugin_routing.become.doas) redirects the short and ansible.builtin names to it.

/** The become methods beastie runs. */
export const becomeMethods = ['sudo', 'doas', 'su'] as const;

export type BecomeMethod = (typeof becomeMethods)[number];

const names: ReadonlyMap<string, BecomeMethod> = new Map<string, BecomeMethod>([
  ...becomeMethods.flatMap((method): [string, BecomeMethod][] => [
    [method, method],
    [`ansible.builtin.${method}`, method],
    [`ansible.legacy.${method}`, method],
  ]),
  ['community.general.doas', 'doas'],
]);

/** The method `name` stands for (`ansible.builtin.sudo` → sudo); undefined for one beastie does not run. */
export function becomeMethodNamed(name: string): BecomeMethod | undefined {
  return names.get(name);
}
