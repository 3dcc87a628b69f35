// The shape of the code, checked: the import graph of src/ and modules/, built from the
// TypeScript sources' own import and export statements, has no cycle (a cycle makes the order in
// which ES modules run decide what a module sees, and welds the packages on it into one), and
// the language layer — the packages that read and evaluate the user's content — never imports the
// runner or a transport, so it can be loaded, tested and reused without them.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SOURCE_DIRS = ['src', 'modules'];

/**
 * The language layer. src/inventory is not in it: it turns host variables into the
 * ConnectionSettings the transports take, so it names that type (src/inventory/connection.ts).
 */
const LANGUAGE = ['src/playbook/', 'src/expression/', 'src/template/', 'src/jinja/', 'src/yaml/', 'src/vault/'];
const BELOW_LANGUAGE = ['src/runner/', 'src/transport/'];

/** One import arrow: the specifier as written, and whether only types cross it. */
interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** The imports of one TypeScript source: import and export … from declarations, and import() calls with a literal. */
function importsOf(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument)) found.push({ specifier: argument.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every cycle's files (the strongly connected components of more than one file, or a file importing itself), each sorted. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so a deep chain of imports cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const frames: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const targets = graph.get(frame.node) ?? [];
      if (frame.edge < targets.length) {
        const target = targets[frame.edge++]!;
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next++);
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || targets.includes(frame.node)) cycles.push(component.sort());
    }
  }
  return cycles;
}

/** The .ts files under `dir`, relative to the repository. */
async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

let built: Promise<Map<string, { to: string; typeOnly: boolean }[]>> | undefined;
/** The repository's import graph (read once per file run). */
function repositoryGraph(): Promise<Map<string, { to: string; typeOnly: boolean }[]>> {
  built ??= buildGraph();
  return built;
}

/** Each source's relative imports, resolved to repository paths (NodeNext: './x.js' is './x.ts'). */
async function buildGraph(): Promise<Map<string, { to: string; typeOnly: boolean }[]>> {
  const files = (await Promise.all(SOURCE_DIRS.map(sourcesUnder))).flat();
  const graph = new Map<string, { to: string; typeOnly: boolean }[]>();
  for (const file of files) {
    const imports = importsOf(file, await readFile(join(ROOT, file), 'utf8'));
    graph.set(
      file,
      imports
        .filter((i) => i.specifier.startsWith('.'))
        .map((i) => ({ to: relative(ROOT, resolve(ROOT, dirname(file), i.specifier.replace(/\.js$/, '.ts'))), typeOnly: i.typeOnly })),
    );
  }
  return graph;
}

describe('importsOf', () => {
  it('finds imports, type-only imports, re-exports and import() calls, and nothing in comments or strings', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import { type C, type D } from './c.js';",
      "import { type E, f } from './e.js';",
      "import './side-effect.js';",
      "export { g } from './g.js';",
      "export type { H } from './h.js';",
      "export * from './star.js';",
      "const lazy = await import('./lazy.js');",
      "// import { no } from './comment.js';",
      "const s = \"import { no } from './string.js'\";",
    ].join('\n');
    expect(importsOf('sample.ts', text)).toEqual([
      { specifier: './a.js', typeOnly: false },
      { specifier: './b.js', typeOnly: true },
      { specifier: './c.js', typeOnly: true },
      { specifier: './e.js', typeOnly: false },
      { specifier: './side-effect.js', typeOnly: false },
      { specifier: './g.js', typeOnly: false },
      { specifier: './h.js', typeOnly: true },
      { specifier: './star.js', typeOnly: false },
      { specifier: './lazy.js', typeOnly: false },
    ]);
  });
});

describe('cyclesOf', () => {
  it('finds each cycle once, a file importing itself too, and no cycle in a diamond', () => {
    const graph = new Map<string, string[]>([
      ['a', ['b']],
      ['b', ['c', 'outside']],
      ['c', ['a']],
      ['d', ['e', 'f']],
      ['e', ['g']],
      ['f', ['g']],
      ['g', []],
      ['self', ['self']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c'], ['self']]);
    expect(cyclesOf(new Map([['d', ['e', 'f']], ['e', ['g']], ['f', ['g']], ['g', []]]))).toEqual([]);
  });
});

describe('the import graph of src/ and modules/', () => {
  it('resolves every relative import to a source file', async () => {
    const graph = await repositoryGraph();
    expect(graph.size).toBeGreaterThan(300);
    const unresolved = [...graph].flatMap(([file, imports]) => imports.filter((i) => !graph.has(i.to)).map((i) => `${file} → ${i.to}`));
    expect(unresolved).toEqual([]);
  });

  it('has no cycle, counting type-only imports', async () => {
    const graph = await repositoryGraph();
    const cycles = cyclesOf(new Map([...graph].map(([file, imports]) => [file, imports.map((i) => i.to)])));
    expect(cycles).toEqual([]);
  });

  it('has no arrow from the language layer into src/runner or src/transport', async () => {
    const graph = await repositoryGraph();
    const arrows = [...graph]
      .filter(([file]) => LANGUAGE.some((dir) => file.startsWith(dir)))
      .flatMap(([file, imports]) => imports.filter((i) => BELOW_LANGUAGE.some((dir) => i.to.startsWith(dir))).map((i) => `${file} → ${i.to}`));
    expect(arrows).toEqual([]);
  });

  it('keeps src/transport and src/command free of everything above them', async () => {
    const graph = await repositoryGraph();
    // They may use each other and the shared leaves (errors, text helpers); nothing that reads
    // the user's content, runs plays or reports.
    const allowed = ['src/transport/', 'src/command/', 'src/text/', 'src/errors.ts', 'src/source.ts'];
    const arrows = [...graph]
      .filter(([file]) => file.startsWith('src/transport/') || file.startsWith('src/command/'))
      .flatMap(([file, imports]) => imports.filter((i) => !allowed.some((dir) => i.to.startsWith(dir))).map((i) => `${file} → ${i.to}`));
    expect(arrows).toEqual([]);
  });
});
