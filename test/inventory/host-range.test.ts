import { describe, expect, it } from 'vitest';
import { expandHostRange, hasHostRange } from '../../src/inventory/host-range.js';
import { inputError } from './inventory-files.js';

const at = { file: 'hosts.yml', line: 7, column: 9 };

describe('expandHostRange', () => {
  it.each([
    ['bhyve[01:03].lab', ['bhyve01.lab', 'bhyve02.lab', 'bhyve03.lab']],
    ['bhyve[8:11]', ['bhyve8', 'bhyve9', 'bhyve10', 'bhyve11']],
    ['vm[001:003]', ['vm001', 'vm002', 'vm003']],
    ['node[a:d]', ['nodea', 'nodeb', 'nodec', 'noded']],
    ['node[x:B]', ['nodex', 'nodey', 'nodez', 'nodeA', 'nodeB']],
    ['vm[1:10:3]', ['vm1', 'vm4', 'vm7', 'vm10']],
    ['vm[01:10:4]', ['vm01', 'vm05', 'vm09']],
    ['n[a:e:2]', ['na', 'nc', 'ne']],
    ['[:2]x', ['0x', '1x', '2x']],
    ['r[1:2]-[a:b].lab', ['r1-a.lab', 'r1-b.lab', 'r2-a.lab', 'r2-b.lab']],
    ['plain.lab', ['plain.lab']],
  ])('%s', (pattern, expected) => {
    expect(hasHostRange(pattern)).toBe(pattern !== 'plain.lab');
    expect(expandHostRange(pattern, at)).toEqual(expected);
  });

  it.each([
    ['bhyve[01:03.lab', "hosts.yml:7:14: bad host range in 'bhyve[01:03.lab': no closing ] — close the range, as in bhyve[01:20].lab"],
    ['bhyve[01].lab', "hosts.yml:7:14: bad host range in 'bhyve[01].lab': a range is begin:end or begin:end:step — write it as [01:20] or [1:20:2]"],
    ['bhyve[1:2:3:4]', "hosts.yml:7:14: bad host range in 'bhyve[1:2:3:4]': a range is begin:end or begin:end:step — write it as [01:20] or [1:20:2]"],
    ['bhyve[01:]', "hosts.yml:7:14: bad host range in 'bhyve[01:]': the range has no end — give an end, as in [01:20]"],
    ['bhyve[01:100]', "hosts.yml:7:14: bad host range in 'bhyve[01:100]': zero-padded '01' and '100' differ in length — pad both ends to 2 digits"],
    ['bhyve[9:1]', "hosts.yml:7:14: bad host range in 'bhyve[9:1]': begin 9 is greater than end 1 — write the smaller bound first"],
    ['n[f:a]', "hosts.yml:7:10: bad host range in 'n[f:a]': begin 'f' comes after end 'a' — write the earlier letter first"],
    ['n[a:5]', "hosts.yml:7:10: bad host range in 'n[a:5]': 'a:5' is neither a numeric nor a single-letter range — use numbers ([01:20]) or single letters ([a:f])"],
    ['n[1:5:0]', "hosts.yml:7:10: bad host range in 'n[1:5:0]': step '0' is not a positive integer — use a step of 1 or more, as in [1:10:2]"],
    ['r[1:2]-[3:1]', "hosts.yml:7:16: bad host range in '-[3:1]': begin 3 is greater than end 1 — write the smaller bound first"],
  ])('rejects %s', async (pattern, message) => {
    expect(await inputError(() => expandHostRange(pattern, at))).toBe(message);
  });
});
