/**
 * A WGSL struct layout declared once: it produces the WGSL text and the typed writer/reader, so
 * byte offsets are never written by hand twice. Scalars only (u32, i32, f32, 4 bytes each), plus
 * an optional trailing `array<f32, DIM>`; the size is padded to 16 bytes (uniform-buffer friendly).
 */
export type Scalar = 'u32' | 'i32' | 'f32';

export class Layout<F extends string> {
  readonly fields: ReadonlyArray<readonly [F, Scalar]>;
  /** Bytes of the scalar head (a multiple of 16). */
  readonly headBytes: number;

  constructor(
    readonly name: string,
    fields: ReadonlyArray<readonly [F, Scalar]>,
    readonly tail?: string,
  ) {
    this.fields = fields;
    this.headBytes = Math.ceil((fields.length * 4) / 16) * 16;
  }

  /** The WGSL declaration (pad fields fill the head to a multiple of 16 bytes). */
  wgsl(): string {
    const pads = this.headBytes / 4 - this.fields.length;
    const lines = this.fields.map(([n, t]) => `  ${n}: ${t},`);
    for (let i = 0; i < pads; i++) lines.push(`  brox_pad${i}: u32,`);
    if (this.tail) lines.push(`  ${this.tail}: array<f32, DIM>,`);
    return `struct ${this.name} {\n${lines.join('\n')}\n}`;
  }

  bytes(dim = 0): number {
    return this.headBytes + (this.tail ? dim * 4 : 0);
  }

  write(values: Record<F, number>, tail?: ArrayLike<number>): ArrayBuffer {
    const buf = new ArrayBuffer(this.bytes(tail ? tail.length : 0));
    const view = new DataView(buf);
    this.fields.forEach(([n, t], i) => {
      const v = values[n];
      if (t === 'f32') view.setFloat32(i * 4, v, true);
      else if (t === 'i32') view.setInt32(i * 4, v, true);
      else view.setUint32(i * 4, v >>> 0, true);
    });
    if (tail) new Float32Array(buf, this.headBytes, tail.length).set(tail);
    return buf;
  }

  read(buf: ArrayBuffer, offset = 0): Record<F, number> {
    const view = new DataView(buf, offset);
    const out = {} as Record<F, number>;
    this.fields.forEach(([n, t], i) => {
      out[n] = t === 'f32' ? view.getFloat32(i * 4, true) : t === 'i32' ? view.getInt32(i * 4, true) : view.getUint32(i * 4, true);
    });
    return out;
  }
}
