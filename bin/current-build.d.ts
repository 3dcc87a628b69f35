// Types of bin/current-build.js (plain JavaScript: bin/ runs before anything is compiled).
export declare function currentBuild(root: string): string | undefined;
