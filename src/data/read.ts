import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BroxError } from '../errors.js';

/** Largest text input (CSV / JSON datasets, eval's points, WGSL): parsed, it takes many times this. */
export const MAX_TEXT_BYTES = 256 * 2 ** 20;
/** Largest raw float32 dataset (--shape ROWS,COLUMNS): 2^28 values. */
export const MAX_RAW_BYTES = 2 ** 30;

/**
 * An open input and its size when it can be known before reading (a regular file), else null
 * (a pipe, stdin). Directories and devices (/dev/zero, /dev/urandom) are refused: their size cannot
 * be known and a read may never end. `source` 0 is stdin, read as whatever it is (bounded later).
 */
function openInput(source: string | 0, argument: string): { fd: number; size: number | null; close(): void } {
  let fd: number;
  try {
    fd = source === 0 ? 0 : openSync(source, 'r');
  } catch (e) {
    throw new BroxError(argument, `cannot read '${source}': ${(e as Error).message}`);
  }
  const close = () => void (source !== 0 && closeSync(fd));
  try {
    const st = fstatSync(fd);
    const kind = st.isDirectory() ? 'a directory' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : null;
    if (kind && source !== 0) throw new BroxError(argument, `'${source}' is ${kind}, not a file: its size cannot be known (give a regular file or a pipe)`);
    return { fd, size: st.isFile() ? st.size : null, close };
  } catch (e) {
    close();
    throw e;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** readSync that retries EAGAIN (a non-blocking stdin, after 10 ms) and names the input on other errors. */
function readSome(fd: number, into: Uint8Array, at: number, length: number, name: string, argument: string): number {
  for (;;) {
    try {
      return readSync(fd, into, at, length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 10);
        continue;
      }
      if (code === 'EOF') return 0; // Windows pipes
      throw new BroxError(argument, `cannot read ${name}: ${(e as Error).message}`);
    }
  }
}

const nameOf = (source: string | 0) => (source === 0 ? 'stdin' : `'${source}'`);

/**
 * The text of a file or stdin, refused beyond `maxBytes`: a regular file by its size before any read,
 * anything else (a pipe) once it has sent maxBytes + 1 bytes.
 */
export function readTextBounded(source: string | 0, argument: string, maxBytes = MAX_TEXT_BYTES): string {
  const input = openInput(source, argument);
  const tooBig = (has: string) => new BroxError(argument, `${nameOf(source)} ${has}, more than the ${maxBytes} bytes this command reads`, 'LIMIT');
  try {
    if (input.size !== null && input.size > maxBytes) throw tooBig(`has ${input.size} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(2 ** 20, maxBytes + 1 - total));
      const n = readSome(input.fd, chunk, 0, chunk.length, nameOf(source), argument);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooBig(`sent ${total} bytes`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    input.close();
  }
}

/**
 * Exactly `bytes` bytes of a file, handed over in pieces of whole `unit`-byte records (never the
 * whole file at once); `wrong(what it has)` when the file is shorter or longer. A regular file is
 * checked by its size first; a pipe is read up to bytes + 1.
 */
export function readExactly(source: string, argument: string, bytes: number, unit: number, onPiece: (piece: Uint8Array, offset: number) => void, wrong: (has: string) => BroxError): void {
  const input = openInput(source, argument);
  try {
    if (input.size !== null && input.size !== bytes) throw wrong(String(input.size));
    const piece = new Uint8Array(Math.max(unit, Math.floor(2 ** 20 / unit) * unit));
    let done = 0;
    while (done < bytes) {
      const want = Math.min(piece.length, bytes - done);
      let got = 0;
      while (got < want) {
        const n = readSome(input.fd, piece, got, want - got, `'${source}'`, argument);
        if (n === 0) throw wrong(String(done + got));
        got += n;
      }
      onPiece(piece.subarray(0, want), done);
      done += want;
    }
    if (readSome(input.fd, new Uint8Array(1), 0, 1, `'${source}'`, argument) > 0) throw wrong('more');
  } finally {
    input.close();
  }
}
