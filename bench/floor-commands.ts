// The floor's commands: for each of W1's 20 tasks, the one read a second run needs to see that
// nothing has to change (the file or directory the task manages).
export const FLOOR_COMMANDS: readonly string[] = [
  ...Array.from({ length: 7 }, () => 'cat /etc/rc.conf'),
  'cat /boot/loader.conf',
  'cat /boot/loader.conf',
  'cat /etc/devfs.rules',
  'stat -c "%a %U %G" /usr/local/etc/bench',
  'cat /usr/local/etc/bench/jail.conf',
  'cat /usr/local/etc/bench/jail.conf',
  'kldstat -q -m zfs',
  'cat /usr/local/etc/bench/motd',
  'sha256sum /usr/local/etc/bench/app.conf',
  'sha256sum /usr/local/etc/bench/bench.conf',
  'stat -c "%a %U %G" /usr/local/vms',
  'cat /etc/sysctl.conf',
  'test -e /usr/local/etc/bench/initialised',
];
