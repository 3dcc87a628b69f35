// All of stdin as bytes (`beastie vault encrypt` without FILE, `encrypt_string` without STRING).

/** Read process.stdin to its end. */
export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
