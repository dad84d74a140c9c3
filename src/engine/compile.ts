import { BroxError } from '../errors.js';
import type { ComposedModule } from './compose.js';

/**
 * Compiles WGSL and turns compiler errors into a BroxError whose message gives line and column
 * relative to the user's objective snippet (or says the fault is in brox's own kernel).
 */
export async function compileModule(device: GPUDevice, composed: ComposedModule, label: string, objectiveName: string): Promise<GPUShaderModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: composed.code, label });
  const info = await module.getCompilationInfo();
  const scopeError = await device.popErrorScope();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    const parts = errors.map((m) => {
      const rel = m.lineNum - composed.objectiveLine + 1;
      const where = rel >= 1 ? `line ${rel}, column ${m.linePos}` : `brox kernel line ${m.lineNum}, column ${m.linePos}`;
      return `${where}: ${m.message}`;
    });
    throw new BroxError('objective.wgsl', `WGSL of objective '${objectiveName}' does not compile: ${parts.join('; ')}`, 'WGSL_COMPILE');
  }
  if (scopeError) {
    throw new BroxError('objective.wgsl', `WGSL of objective '${objectiveName}' was rejected: ${scopeError.message}`, 'WGSL_COMPILE');
  }
  return module;
}

/** Creates a compute pipeline, reporting validation failures (e.g. a missing `objective` fn) as BroxError. */
export async function createPipeline(device: GPUDevice, module: GPUShaderModule, entryPoint: string, constants: Record<string, number>, label: string, objectiveName: string): Promise<GPUComputePipeline> {
  device.pushErrorScope('validation');
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint, constants }, label });
  } catch (e) {
    await device.popErrorScope();
    throw new BroxError('objective.wgsl', `pipeline '${label}' for objective '${objectiveName}' failed: ${(e as Error).message}`, 'WGSL_COMPILE');
  }
  const err = await device.popErrorScope();
  if (err) throw new BroxError('objective.wgsl', `pipeline '${label}' for objective '${objectiveName}' failed: ${err.message}`, 'WGSL_COMPILE');
  return pipeline;
}
