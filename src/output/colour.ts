// ANSI colours for the human reporter: on only when the stream is a TTY and NO_COLOR is unset
// (https://no-color.org: any non-empty value disables colour).

/** The colours the human output uses, by meaning rather than by hue. */
export type Tone = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'warning' | 'dim' | 'added' | 'removed' | 'header';

const codes: Readonly<Record<Tone, readonly [number, number]>> = {
  ok: [32, 39],
  changed: [33, 39],
  failed: [31, 39],
  skipped: [36, 39],
  unreachable: [91, 39],
  warning: [35, 39],
  dim: [2, 22],
  added: [32, 39],
  removed: [31, 39],
  header: [1, 22],
};

/** Paints text in a tone, or leaves it alone when colour is off. */
export type Painter = (tone: Tone, text: string) => string;

/** Whether to colour a stream: a TTY and no NO_COLOR. */
export function wantsColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const noColor = env['NO_COLOR'];
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

/** A painter that colours, or one that returns the text unchanged. */
export function painter(enabled: boolean): Painter {
  if (!enabled) return (_tone, text) => text;
  return (tone, text) => {
    const [open, close] = codes[tone];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}
