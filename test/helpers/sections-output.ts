// Test fixtures of a sectioned command's stdout (src/facts/sections.ts), written as the readable
// notation `@@section NAME@@` lines followed by each section's lines, turned into the framing
// the command prints (with the fixed nonce 0, which the parser takes from the first line).
/** `@@section a@@\nx\n@@section b@@\n` → the framed stdout with sections a = `x\n`, b = ``. */
export function sectionsOutput(notation: string): string {
  const body = notation.endsWith('\n') ? notation.slice(0, -1) : notation;
  let out = '@@sections 0@@';
  let lines: string[] | undefined;
  const flush = () => {
    if (lines !== undefined && lines.length > 0) out += `${lines.join('\n')}\n`;
  };
  for (const line of body.split('\n')) {
    const header = /^@@section (.+)@@$/.exec(line);
    if (header) {
      flush();
      out += `\n@@section 0 ${header[1]}@@\n`;
      lines = [];
    } else lines?.push(line);
  }
  flush();
  return `${out}\n@@sections 0 end@@\n`;
}

/** `[name, text]` pairs → exactly what a frame with `nonce` prints for them (texts may be frames themselves). */
export function framedSections(sections: readonly (readonly [string, string])[], nonce = '0'): string {
  return `@@sections ${nonce}@@${sections.map(([name, text]) => `\n@@section ${nonce} ${name}@@\n${text}`).join('')}\n@@sections ${nonce} end@@\n`;
}
