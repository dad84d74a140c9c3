/**
 * GPU time of a compute pass from timestamp queries, when the device has 'timestamp-query';
 * GpuTimer.create returns null otherwise, and callers report wall time only. (Dawn quantises
 * timestamps unless created with 'disable-dawn-features=timestamp_quantization', see acquire.ts.)
 */
export class GpuTimer {
  private constructor(
    private readonly querySet: GPUQuerySet,
    private readonly resolveBuf: GPUBuffer,
    private readonly readBuf: GPUBuffer,
  ) {}

  static create(device: GPUDevice): GpuTimer | null {
    if (!device.features.has('timestamp-query')) return null;
    const querySet = device.createQuerySet({ label: 'Oracle.timestamps', type: 'timestamp', count: 2 });
    const resolveBuf = device.createBuffer({ label: 'Oracle.timestampResolve', size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const readBuf = device.createBuffer({ label: 'Oracle.timestampReadback', size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    return new GpuTimer(querySet, resolveBuf, readBuf);
  }

  writes(): GPUComputePassTimestampWrites {
    return { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
  }

  /**
   * Brackets a whole command encoder's work (many passes, e.g. a resident batch): an empty pass
   * stamps the start (`begin`), another the end (`end`), whose two u64 timestamps are copied into
   * `dst` at `offset` (a multiple of 8), so they come back with the batch's own readback.
   */
  begin(enc: GPUCommandEncoder): void {
    enc.beginComputePass({ label: 'brox.stampBegin', timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: 0 } }).end();
  }

  end(enc: GPUCommandEncoder, dst: GPUBuffer, offset: number): void {
    enc.beginComputePass({ label: 'brox.stampEnd', timestampWrites: { querySet: this.querySet, endOfPassWriteIndex: 1 } }).end();
    enc.resolveQuerySet(this.querySet, 0, 2, this.resolveBuf, 0);
    enc.copyBufferToBuffer(this.resolveBuf, 0, dst, offset, 16);
  }

  /** Milliseconds between the two timestamps copied by end() (0 where the clock did not advance). */
  static span(bytes: ArrayBuffer, offset: number): number {
    const t = new BigUint64Array(bytes, offset, 2);
    return t[1] > t[0] ? Number(t[1] - t[0]) / 1e6 : 0;
  }

  resolve(enc: GPUCommandEncoder): void {
    enc.resolveQuerySet(this.querySet, 0, 2, this.resolveBuf, 0);
    enc.copyBufferToBuffer(this.resolveBuf, 0, this.readBuf, 0, 16);
  }

  /** Milliseconds between the two timestamps of the last resolved pass. */
  async read(): Promise<number> {
    await this.readBuf.mapAsync(GPUMapMode.READ);
    const bytes = this.readBuf.getMappedRange().slice(0);
    this.readBuf.unmap();
    return GpuTimer.span(bytes, 0);
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolveBuf.destroy();
    this.readBuf.destroy();
  }
}
