// community.general.pkgng: the pkg module (modules/pkg.ts) under Ansible's name.
import { pkgModule } from './pkg.js';

export default pkgModule('pkgng');
