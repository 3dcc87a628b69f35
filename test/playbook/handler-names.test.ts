// The names a notify finds a handler by (src/playbook/handler-names.ts), as ansible-core 2.14's
// search_handler_blocks_by_name tries them: the name, `ROLE : name`, `NS.COLL.ROLE : name`.
import { describe, expect, it } from 'vitest';
import { handlerNames, missingHandlerMessage } from '../../src/playbook/handler-names.js';

describe('handler names', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ['restart']],
    ['web', ['restart', 'web : restart']],
    ['acme.infra.web', ['restart', 'web : restart', 'acme.infra.web : restart']],
  ])('a handler of role %s answers to %j', (role, names) => {
    expect(handlerNames(role === undefined ? {} : { fromRole: role }, 'restart')).toEqual(names);
  });

  it("words the error as ansible-core's strategy does", () => {
    expect(missingHandlerMessage('x')).toBe("The requested handler 'x' was not found in either the main handlers list nor in the listening handlers list");
  });
});
