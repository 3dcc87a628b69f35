// Ansible's own YAML tags, given to the one YAML front end (yaml-source.ts). A tag not listed
// here is an input error, so an encrypted value is never used as its ciphertext and an `!unsafe`
// string is never templated by accident. Add a tag as a `yaml` ScalarTag (tag, resolve).
import type { ScalarTag } from 'yaml';
import { unsafeText } from '../template/unsafe-text.js';

/** `!unsafe`: the scalar's text, never templated (Ansible's AnsibleUnsafeText). */
const unsafeTag: ScalarTag = {
  tag: '!unsafe',
  resolve: (text) => unsafeText(text),
};

/** The tags every YAML file beastie reads may use. */
export const ansibleTags: ScalarTag[] = [unsafeTag];
