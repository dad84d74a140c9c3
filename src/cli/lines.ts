/** One input line, or the size of a line that was dropped for being longer than the limit. */
export type LineItem = { line: string } | { tooLong: number };

/**
 * Splits a byte stream into lines without ever holding more than `maxBytes` of one line: a longer
 * line is counted and skipped up to its newline (readline would buffer it whole first).
 * Splitting bytes at '\n' is safe for UTF-8: 0x0a never occurs inside a multi-byte character.
 */
export async function* boundedLines(input: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<LineItem> {
  let parts: Buffer[] = [];
  let held = 0; // bytes of the current line kept in parts
  let skipped = -1; // >= 0 while dropping an over-long line: its size so far
  const finish = (): LineItem => {
    const item: LineItem = skipped >= 0 ? { tooLong: skipped } : { line: Buffer.concat(parts, held).toString('utf8').replace(/\r$/, '') };
    parts = [];
    held = 0;
    skipped = -1;
    return item;
  };
  const take = (piece: Buffer) => {
    if (skipped >= 0) skipped += piece.length;
    else if (held + piece.length > maxBytes) {
      skipped = held + piece.length;
      parts = [];
      held = 0;
    } else if (piece.length > 0) {
      parts.push(piece);
      held += piece.length;
    }
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      take(buf.subarray(start, nl));
      start = nl + 1;
      yield finish();
    }
    // copy the tail: the stream may reuse its chunk's memory
    if (start < buf.length) take(Buffer.from(buf.subarray(start)));
  }
  if (held > 0 || skipped >= 0) yield finish();
}
