// pciconf -l/-lv with the seed machine's devices (docs/freebsd/vm-bhyve.md, docs/freebsd/passthrough.md) and the boot
// rules that attach pptdevs devices to ppt only when the loader loaded vmm.ko.
import { describe, expect, it } from 'vitest';
import { bootedHostsOfFile } from '../host-sandbox.js';

const booted = bootedHostsOfFile();

describe('pciconf', () => {
  it('lists the seed devices in the 12.x card/chip layout, igb0 as in the article', () => {
    const host = booted('seed');
    const lines = host.run('pciconf -l').stdout.split('\n');
    expect(lines.map((l) => l.split('@')[0]).filter(Boolean)).toEqual([
      'hostb0', 'pcib1', 'xhci0', 'none0', 'none1', 'ahci0', 'pcib2', 'isab0', 'none2', 'hdac1', 'none3',
      'em0', 'igb0', 'igb1', 'igb2', 'igb3', 'vgapci0',
    ]);
    expect(host.run('pciconf -lv').stdout).toContain(
      "igb0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n    vendor     = 'Intel Corporation'\n    device     = '82580 Gigabit Network Connection'\n    class      = network\n    subclass   = ethernet\n",
    );
  });

  it('attaches pptdevs to ppt after a reboot with vmm_load="YES" (ppt0@pci0:1:0:0), siblings renumbered', () => {
    const host = booted('seed');
    host.run('sysrc -f /boot/loader.conf pptdevs="1/0/0"');
    host.boot();
    expect(host.run('pciconf -l').stdout).toContain('igb0@pci0:1:0:0:');
    host.run('sysrc -f /boot/loader.conf vmm_load=YES');
    host.boot();
    const out = host.run('pciconf -l').stdout;
    expect(out).toContain('ppt0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n');
    expect(out).toContain('igb0@pci0:1:0:1:');
    expect(host.run('sysctl -n hw.vmm.ppt.devices').stdout).toBe('1\n');
    expect(host.run('kldstat -q -m vmm').code).toBe(0);
  });

  it('does not attach ppt when vmm is only kldloaded later', () => {
    const host = booted('seed');
    host.run('sysrc -f /boot/loader.conf pptdevs="1/0/0"; sysrc kld_list+=vmm');
    host.boot();
    expect(host.run('kldstat -q -m vmm').code).toBe(0);
    expect(host.run('pciconf -l').stdout).toContain('igb0@pci0:1:0:0:');
  });

  it('uses the 13+ layout and accepts a selector on current', () => {
    const host = booted('current');
    expect(host.run('pciconf -l pci0:1:0:0').stdout).toBe(
      'igb0@pci0:1:0:0:\tclass=0x020000 rev=0x01 hdr=0x00 vendor=0x8086 device=0x150e subvendor=0x8086 subdevice=0x12a2\n',
    );
  });

  it('needs /dev/pci inside a jail', () => {
    const host = booted('seed');
    host.run(
      'printf \'jail_name=j\\njail_jid=1\\njail_securelevel=2\\njail_devices="null zero"\\n\' > /var/sim/jail',
    );
    expect(host.run('pciconf -l')).toEqual({ stdout: '', stderr: 'pciconf: /dev/pci: No such file or directory\n', code: 1 });
    host.run('sed -i "s/null zero/null zero pci/" /var/sim/jail');
    expect(host.run('pciconf -l').code).toBe(0);
    host.run('rm /var/sim/jail');
  });
});

describe('boot', () => {
  it('applies kern_securelevel from rc.conf and boots one-shot nextboot kernels', () => {
    const host = booted('seed');
    host.run('sysrc kern_securelevel_enable=YES kern_securelevel=2');
    host.boot();
    expect(host.run('sysctl -n kern.securelevel').stdout).toBe('2\n');
    host.run('sysrc kern_securelevel_enable=NO; cp -r /boot/kernel /boot/kernel.test');
    expect(host.run('nextboot -k kernel.test')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('nextboot_enable="YES"\nkernel="kernel.test"\n');
    host.boot();
    expect(host.run('. /var/sim/run/kernel; echo $kernel_name').stdout).toBe('kernel.test\n');
    expect(host.run('cat /boot/nextboot.conf').stdout).toBe('nextboot_enable="NO" \nkernel="kernel.test"\n');
    host.boot();
    expect(host.run('. /var/sim/run/kernel; echo $kernel_name').stdout).toBe('kernel\n');
    expect(host.run('nextboot -k nosuch')).toEqual({
      stdout: "Error: /boot/nosuch doesn't exist. Use -f to override.\n",
      stderr: '',
      code: 1,
    });
    expect(host.run('nextboot -D; test -e /boot/nextboot.conf').code).toBe(1);
  });

  it('hangs (exit 3) on a kernel listed in hang-kernels, and the next power-on boots the default', () => {
    const host = booted('seed');
    host.run('cp -r /boot/kernel /boot/kernel.new; mkdir -p /var/sim/control; echo kernel.new > /var/sim/control/hang-kernels; nextboot -k kernel.new');
    expect(host.boot().code).toBe(3);
    expect(host.boot().code).toBe(0);
    expect(host.run('. /var/sim/run/kernel; echo $kernel_name').stdout).toBe('kernel\n');
  });

  it('shutdown -r now / -p +Ns print shutdown.c text and request a reboot / power-off; reboot is silent', () => {
    const host = booted('seed');
    const out = host.run('shutdown -r now; i=0; until grep -qs reboot /var/sim/reboot-request || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done; cat /var/sim/reboot-request');
    expect(out.stdout).toBe('Shutdown NOW!\nreboot\n');
    // errx(0, "[pid %d]"): stderr
    expect(out.stderr).toMatch(/^shutdown: \[pid \d+\]\n$/);
    expect(host.run('rm /var/sim/reboot-request; reboot; cat /var/sim/reboot-request')).toEqual({
      stdout: 'reboot\n',
      stderr: '',
      code: 0,
    });
    // -p +Ns: a power-off after the delay (getoffset's units); bad times and -h fail
    host.run('rm -f /var/sim/reboot-request');
    const off = host.run("shutdown -p +1s 'Custom Message'; test -e /var/sim/reboot-request && echo early; i=0; until grep -qs poweroff /var/sim/reboot-request || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done; cat /var/sim/reboot-request");
    expect(off.stdout).toMatch(/^Shutdown at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\.\npoweroff\n$/);
    expect(off.stderr).toMatch(/^shutdown: \[pid \d+\]\n$/);
    host.run('rm -f /var/sim/reboot-request');
    expect(host.run('shutdown -p +5x')).toMatchObject({ stderr: 'shutdown: bad time format\n', code: 1 });
    expect(host.run('shutdown -p -r now').code).toBe(1);
    expect(host.run('shutdown -h now').code).toBe(1);
    expect(host.run('test -e /var/sim/reboot-request').code).toBe(1);
  });
});
