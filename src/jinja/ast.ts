// The parsed form of a Jinja template: expressions and statements, each with the offset (`at`) in
// the template text where it was written, so render errors point at the right line.

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~' | 'and' | 'or';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

/** Keyword arguments of a call, filter or test, in the order written. */
export type Kwargs = readonly (readonly [string, Expr])[];

export type Expr = { readonly at: number } & (
  | { readonly k: 'const'; readonly value: unknown }
  | { readonly k: 'name'; readonly name: string }
  | { readonly k: 'getattr'; readonly object: Expr; readonly attr: string }
  | { readonly k: 'getitem'; readonly object: Expr; readonly key: Expr }
  | { readonly k: 'slice'; readonly object: Expr; readonly start: Expr | undefined; readonly stop: Expr | undefined; readonly step: Expr | undefined }
  | { readonly k: 'call'; readonly callee: Expr; readonly args: readonly Expr[]; readonly kwargs: Kwargs; readonly star: Expr | undefined; readonly dstar: Expr | undefined }
  | { readonly k: 'filter'; readonly subject: Expr; readonly name: string; readonly args: readonly Expr[]; readonly kwargs: Kwargs }
  | { readonly k: 'test'; readonly subject: Expr; readonly name: string; readonly args: readonly Expr[]; readonly kwargs: Kwargs; readonly negated: boolean }
  | { readonly k: 'list' | 'tuple'; readonly items: readonly Expr[] }
  | { readonly k: 'dict'; readonly pairs: readonly (readonly [Expr, Expr])[] }
  | { readonly k: 'cond'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr | undefined }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'unary'; readonly op: 'not' | '-' | '+'; readonly operand: Expr }
  | { readonly k: 'compare'; readonly first: Expr; readonly rest: readonly (readonly [CompareOp, Expr])[] }
);

/** What `{% for %}` and `{% set %}` assign to. */
export type Target =
  | { readonly k: 'name'; readonly name: string }
  | { readonly k: 'tuple'; readonly items: readonly Target[] }
  | { readonly k: 'nsattr'; readonly ns: string; readonly attr: string };

/** A filter of `{% set x | f %}` or `{% filter f %}`: name and arguments. */
export interface FilterCall {
  readonly name: string;
  readonly args: readonly Expr[];
  readonly kwargs: Kwargs;
  readonly at: number;
}

/** A macro's parameter and its default. */
export interface Param {
  readonly name: string;
  readonly default: Expr | undefined;
}

export type Node = { readonly at: number } & (
  | { readonly k: 'text'; readonly text: string }
  | { readonly k: 'print'; readonly expr: Expr }
  | { readonly k: 'if'; readonly test: Expr; readonly body: readonly Node[]; readonly otherwise: readonly Node[] }
  | {
      readonly k: 'for';
      readonly target: Target;
      readonly iter: Expr;
      readonly filter: Expr | undefined;
      readonly body: readonly Node[];
      readonly otherwise: readonly Node[];
      readonly recursive: boolean;
    }
  | { readonly k: 'set'; readonly target: Target; readonly expr: Expr }
  | { readonly k: 'setblock'; readonly target: Target; readonly body: readonly Node[]; readonly filters: readonly FilterCall[] }
  | { readonly k: 'macro'; readonly name: string; readonly params: readonly Param[]; readonly body: readonly Node[] }
  | { readonly k: 'callblock'; readonly call: Expr; readonly params: readonly Param[]; readonly body: readonly Node[] }
  | { readonly k: 'include'; readonly template: Expr; readonly ignoreMissing: boolean; readonly withContext: boolean }
  | { readonly k: 'import'; readonly template: Expr; readonly alias: string; readonly withContext: boolean }
  | { readonly k: 'fromimport'; readonly template: Expr; readonly names: readonly (readonly [string, string])[]; readonly withContext: boolean }
  | { readonly k: 'filterblock'; readonly filters: readonly FilterCall[]; readonly body: readonly Node[] }
  | { readonly k: 'with'; readonly assigns: readonly (readonly [Target, Expr])[]; readonly body: readonly Node[] }
);
