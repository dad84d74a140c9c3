/**
 * Every error brox throws on bad input: `argument` names what was wrong, the message says what is
 * allowed. `code` separates input errors from environment/kernel errors for the CLI and servers.
 */
export type BroxErrorCode = 'INVALID_ARGUMENT' | 'NO_ADAPTER' | 'WGSL_COMPILE' | 'GPU_ERROR' | 'DEVICE_LOST' | 'ABORTED' | 'LIMIT';

export class BroxError extends Error {
  override readonly name = 'BroxError';
  constructor(
    readonly argument: string,
    message: string,
    readonly code: BroxErrorCode = 'INVALID_ARGUMENT',
  ) {
    super(`${argument}: ${message}`);
  }
}
