/**
 * @internal Reads a whole file as bytes, gunzipping it when it starts with the gzip magic.
 * Node's fs and zlib are imported lazily so the rest of the package stays browser-safe.
 */
export async function readBytes(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`${path}: cannot read file (${(e as Error).message})`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    const { gunzipSync } = await import('node:zlib');
    try {
      return new Uint8Array(gunzipSync(raw));
    } catch (e) {
      throw new Error(`${path}: corrupt gzip stream (${(e as Error).message})`);
    }
  }
  return raw;
}
