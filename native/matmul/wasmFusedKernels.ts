// The fused training kernels (main/engine/fusedOps/kernelNames.ts) for the wasm backend, computed by the
// evgap_matmul addon in place on the backend's memory like its matMul kernels: the encoder's Linear (product,
// bias and ReLU in one call, bf16 operands when asked), LayerNorm, BatchNorm (+ReLU) and multi-head attention with their gradients,
// the ReLU+bias gradient, the tap passes of 1-D convolutions and the Adam update. Registered while the addon is
// in use (installNativeFusedKernels); the engine's ops use them when they are registered on the active backend.
import * as tf from '@tensorflow/tfjs';
import { fusedKernelNames, type AdamAttrs, type AdamManyAttrs, type AttentionAttrs, type BatchNormAttrs, type LinearAttrs, type TapAttrs } from '../../main/engine/fusedOps/kernelNames';
import { addonActivations, addonPrecisions, type MatMulAddon } from './index';
import { heapOf, memoryOffsetOf, type WasmBackend } from './wasmMemory';

type Inputs = Record<string, tf.TensorInfo>;

function expectFloat32(kernelName: string, inputs: Inputs): void {
  for (const [name, tensor] of Object.entries(inputs)) {
    if (tensor.dtype !== 'float32') throw new Error(`${kernelName}: expected ${name} to be float32, got ${tensor.dtype}`);
  }
}

function lastAxis(tensor: tf.TensorInfo): number {
  return tensor.shape[tensor.shape.length - 1] ?? 1;
}

/** Kernel functions by name; `addon` computes, the wasm backend allocates every output. */
function fusedKernels(addon: MatMulAddon): Record<string, tf.KernelFunc> {
  return {
    [fusedKernelNames.linear]: ({ inputs, backend, attrs }) => {
      const { x, weight, bias } = inputs as Inputs;
      expectFloat32(fusedKernelNames.linear, { x, weight, bias } as Inputs);
      const { activation, precision } = attrs as unknown as LinearAttrs;
      const [rows, inDim] = x!.shape as [number, number];
      const [outDim, weightIn] = weight!.shape as [number, number];
      if (x!.shape.length !== 2 || weightIn !== inDim || bias!.shape[0] !== outDim) {
        throw new Error(`${fusedKernelNames.linear}: expected x [N, in], weight [out, in], bias [out], got [${x!.shape}], [${weight!.shape}], [${bias!.shape}]`);
      }
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput([rows, outDim], 'float32');
      if (rows * outDim === 0) return out;
      const entry = new Uint32Array(1);
      addon.matmul(
        heapOf(wasm),
        memoryOffsetOf(wasm, x!),
        memoryOffsetOf(wasm, weight!),
        memoryOffsetOf(wasm, out),
        entry,
        entry,
        rows,
        outDim,
        inDim,
        false,
        true,
        addonPrecisions[precision],
        memoryOffsetOf(wasm, bias!),
        outDim,
        addonActivations.indexOf(activation),
        0,
        -1,
        0,
      );
      return out;
    },
    [fusedKernelNames.reluBiasGrad]: ({ inputs, backend }) => {
      const { dy, y } = inputs as Inputs;
      const columns = lastAxis(dy!);
      const rows = tf.util.sizeFromShape(dy!.shape) / columns;
      const wasm = backend as unknown as WasmBackend;
      const masked = wasm.makeOutput(dy!.shape, 'float32');
      const dBias = wasm.makeOutput([columns], 'float32');
      addon.reluBiasBackward(heapOf(wasm), memoryOffsetOf(wasm, dy!), memoryOffsetOf(wasm, y!), memoryOffsetOf(wasm, masked), memoryOffsetOf(wasm, dBias), rows, columns);
      return [masked, dBias];
    },
    [fusedKernelNames.layerNorm]: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Inputs;
      expectFloat32(fusedKernelNames.layerNorm, { x, gamma, beta } as Inputs);
      const width = lastAxis(x!);
      const rows = tf.util.sizeFromShape(x!.shape) / width;
      const wasm = backend as unknown as WasmBackend;
      const y = wasm.makeOutput(x!.shape, 'float32');
      const stats = wasm.makeOutput([rows, 2], 'float32');
      addon.layerNorm(
        heapOf(wasm),
        memoryOffsetOf(wasm, x!),
        memoryOffsetOf(wasm, gamma!),
        memoryOffsetOf(wasm, beta!),
        memoryOffsetOf(wasm, y),
        memoryOffsetOf(wasm, stats),
        rows,
        width,
        Number(attrs?.['epsilon']),
      );
      return [y, stats];
    },
    [fusedKernelNames.layerNormGrad]: ({ inputs, backend }) => {
      const { dy, x, gamma, stats } = inputs as Inputs;
      const width = lastAxis(x!);
      const rows = tf.util.sizeFromShape(x!.shape) / width;
      const wasm = backend as unknown as WasmBackend;
      const dx = wasm.makeOutput(x!.shape, 'float32');
      const dGamma = wasm.makeOutput([width], 'float32');
      const dBeta = wasm.makeOutput([width], 'float32');
      addon.layerNormBackward(
        heapOf(wasm),
        memoryOffsetOf(wasm, dy!),
        memoryOffsetOf(wasm, x!),
        memoryOffsetOf(wasm, gamma!),
        memoryOffsetOf(wasm, stats!),
        memoryOffsetOf(wasm, dx),
        memoryOffsetOf(wasm, dGamma),
        memoryOffsetOf(wasm, dBeta),
        rows,
        width,
      );
      return [dx, dGamma, dBeta];
    },
    [fusedKernelNames.batchNorm]: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as Inputs;
      expectFloat32(fusedKernelNames.batchNorm, { x, gamma, beta } as Inputs);
      const { epsilon, activation } = attrs as unknown as BatchNormAttrs;
      const channels = lastAxis(x!);
      const rows = tf.util.sizeFromShape(x!.shape) / channels;
      if (rows < 1 || gamma!.shape[0] !== channels || beta!.shape[0] !== channels) {
        throw new Error(`${fusedKernelNames.batchNorm}: expected x [N >= 1, C], gamma and beta [C], got [${x!.shape}], [${gamma!.shape}], [${beta!.shape}]`);
      }
      const wasm = backend as unknown as WasmBackend;
      const y = wasm.makeOutput(x!.shape, 'float32');
      const stats = wasm.makeOutput([3, channels], 'float32');
      addon.batchNorm(
        heapOf(wasm),
        memoryOffsetOf(wasm, x!),
        memoryOffsetOf(wasm, gamma!),
        memoryOffsetOf(wasm, beta!),
        memoryOffsetOf(wasm, y),
        memoryOffsetOf(wasm, stats),
        rows,
        channels,
        epsilon,
        activation === 'relu',
      );
      return [y, stats];
    },
    [fusedKernelNames.batchNormGrad]: ({ inputs, backend, attrs }) => {
      const { dy, x, y, gamma, stats } = inputs as Inputs;
      const { activation } = attrs as unknown as BatchNormAttrs;
      const channels = lastAxis(x!);
      const rows = tf.util.sizeFromShape(x!.shape) / channels;
      const wasm = backend as unknown as WasmBackend;
      const dx = wasm.makeOutput(x!.shape, 'float32');
      const dGamma = wasm.makeOutput([channels], 'float32');
      const dBeta = wasm.makeOutput([channels], 'float32');
      addon.batchNormBackward(
        heapOf(wasm),
        memoryOffsetOf(wasm, dy!),
        memoryOffsetOf(wasm, x!),
        memoryOffsetOf(wasm, y!),
        memoryOffsetOf(wasm, gamma!),
        memoryOffsetOf(wasm, stats!),
        memoryOffsetOf(wasm, dx),
        memoryOffsetOf(wasm, dGamma),
        memoryOffsetOf(wasm, dBeta),
        rows,
        channels,
        activation === 'relu',
      );
      return [dx, dGamma, dBeta];
    },
    [fusedKernelNames.attention]: ({ inputs, backend, attrs }) => {
      const { qkv } = inputs as Inputs;
      expectFloat32(fusedKernelNames.attention, { qkv } as Inputs);
      const { batch, heads } = attrs as unknown as AttentionAttrs;
      const [rows, width] = qkv!.shape as [number, number];
      const [length, modelDim] = [rows / batch, width / 3];
      const wasm = backend as unknown as WasmBackend;
      const output = wasm.makeOutput([rows, modelDim], 'float32');
      const probabilities = wasm.makeOutput([batch, heads, length, length], 'float32');
      addon.attention(heapOf(wasm), memoryOffsetOf(wasm, qkv!), memoryOffsetOf(wasm, output), memoryOffsetOf(wasm, probabilities), batch, length, heads, modelDim);
      return [output, probabilities];
    },
    [fusedKernelNames.attentionGrad]: ({ inputs, backend, attrs }) => {
      const { dOutput, qkv, probabilities } = inputs as Inputs;
      const { batch, heads } = attrs as unknown as AttentionAttrs;
      const [rows, width] = qkv!.shape as [number, number];
      const wasm = backend as unknown as WasmBackend;
      const dQkv = wasm.makeOutput([rows, width], 'float32');
      addon.attentionBackward(
        heapOf(wasm),
        memoryOffsetOf(wasm, dOutput!),
        memoryOffsetOf(wasm, qkv!),
        memoryOffsetOf(wasm, probabilities!),
        memoryOffsetOf(wasm, dQkv),
        batch,
        rows / batch,
        heads,
        width / 3,
      );
      return dQkv;
    },
    [fusedKernelNames.tapSum]: ({ inputs, backend, attrs }) => {
      const { z, bias } = inputs as Inputs;
      expectFloat32(fusedKernelNames.tapSum, { z, bias } as Inputs);
      const { taps, dilation, activation } = attrs as unknown as TapAttrs;
      const channels = bias!.shape[0] as number;
      const length = z!.shape[z!.shape.length - 2] as number;
      const batch = tf.util.sizeFromShape(z!.shape.slice(0, -2));
      const wasm = backend as unknown as WasmBackend;
      const y = wasm.makeOutput([...z!.shape.slice(0, -1), channels], 'float32');
      addon.tapSum(heapOf(wasm), memoryOffsetOf(wasm, z!), memoryOffsetOf(wasm, bias!), memoryOffsetOf(wasm, y), batch, length, channels, taps, dilation, activation === 'relu');
      return y;
    },
    [fusedKernelNames.tapScatter]: ({ inputs, backend, attrs }) => {
      const { dy } = inputs as Inputs;
      const { taps, dilation } = attrs as unknown as TapAttrs;
      const channels = lastAxis(dy!);
      const length = dy!.shape[dy!.shape.length - 2] as number;
      const batch = tf.util.sizeFromShape(dy!.shape.slice(0, -2));
      const wasm = backend as unknown as WasmBackend;
      const dz = wasm.makeOutput([...dy!.shape.slice(0, -1), taps * channels], 'float32');
      addon.tapScatter(heapOf(wasm), memoryOffsetOf(wasm, dy!), memoryOffsetOf(wasm, dz), batch, length, channels, taps, dilation);
      return dz;
    },
    [fusedKernelNames.adamUpdate]: ({ inputs, backend, attrs }) => {
      const { param, grad, firstMoment, secondMoment } = inputs as Inputs;
      expectFloat32(fusedKernelNames.adamUpdate, { param, grad, firstMoment, secondMoment } as Inputs);
      const a = attrs as unknown as AdamAttrs;
      const wasm = backend as unknown as WasmBackend;
      const outputs = [param!.shape, param!.shape, param!.shape].map((shape) => wasm.makeOutput(shape, 'float32'));
      const sums = wasm.makeOutput([2], 'float32');
      const [gradSquares, paramSquares] = addon.adamUpdate(
        heapOf(wasm),
        memoryOffsetOf(wasm, param!),
        memoryOffsetOf(wasm, grad!),
        memoryOffsetOf(wasm, firstMoment!),
        memoryOffsetOf(wasm, secondMoment!),
        memoryOffsetOf(wasm, outputs[0]!),
        memoryOffsetOf(wasm, outputs[1]!),
        memoryOffsetOf(wasm, outputs[2]!),
        tf.util.sizeFromShape(param!.shape),
        a.beta1,
        a.beta2,
        a.epsilon,
        a.stepSize,
        a.secondCorrection,
        a.decayFactor,
      );
      new Float32Array(heapOf(wasm), memoryOffsetOf(wasm, sums), 2).set([gradSquares, paramSquares]);
      return [...outputs, sums] as tf.TensorInfo[];
    },
    [fusedKernelNames.adamUpdateMany]: ({ inputs, backend, attrs }) => {
      const operands = inputs as unknown as tf.TensorInfo[];
      const a = attrs as unknown as AdamManyAttrs;
      const P = operands.length / 4;
      if (!Number.isInteger(P) || a.stepSizes.length !== P || a.secondCorrections.length !== P || a.decayFactors.length !== P) {
        throw new Error(`${fusedKernelNames.adamUpdateMany}: expected 4 inputs and one stepSize, secondCorrection and decayFactor per parameter, got ${operands.length} inputs`);
      }
      const wasm = backend as unknown as WasmBackend;
      const outputs: tf.TensorInfo[] = [];
      const squares = new Float32Array(2 * P);
      for (let i = 0; i < P; i++) {
        const [param, grad, firstMoment, secondMoment] = operands.slice(4 * i, 4 * i + 4) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
        expectFloat32(fusedKernelNames.adamUpdateMany, { param, grad, firstMoment, secondMoment });
        const size = tf.util.sizeFromShape(param.shape);
        if ([grad, firstMoment, secondMoment].some((t) => tf.util.sizeFromShape(t.shape) !== size)) {
          throw new Error(`${fusedKernelNames.adamUpdateMany}: parameter ${i}: expected grad and moments of [${param.shape}]`);
        }
        const out = [0, 1, 2].map(() => wasm.makeOutput(param.shape, 'float32'));
        outputs.push(...out);
        if (size === 0) continue;
        const [gradSquares, paramSquares] = addon.adamUpdate(
          heapOf(wasm),
          memoryOffsetOf(wasm, param),
          memoryOffsetOf(wasm, grad),
          memoryOffsetOf(wasm, firstMoment),
          memoryOffsetOf(wasm, secondMoment),
          memoryOffsetOf(wasm, out[0]!),
          memoryOffsetOf(wasm, out[1]!),
          memoryOffsetOf(wasm, out[2]!),
          size,
          a.beta1,
          a.beta2,
          a.epsilon,
          a.stepSizes[i]!,
          a.secondCorrections[i]!,
          a.decayFactors[i]!,
        );
        squares[2 * i] = gradSquares;
        squares[2 * i + 1] = paramSquares;
      }
      const sums = wasm.makeOutput([P, 2], 'float32');
      new Float32Array(heapOf(wasm), memoryOffsetOf(wasm, sums), 2 * P).set(squares);
      return [...outputs, sums];
    },
  };
}

const installed = new Set<string>();

/** Registers the fused kernels on the wasm backend, computed by `addon`; calling it again changes nothing. */
export function installNativeFusedKernels(addon: MatMulAddon): string[] {
  for (const [kernelName, kernelFunc] of Object.entries(fusedKernels(addon))) {
    if (installed.has(kernelName)) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    installed.add(kernelName);
  }
  return [...installed];
}

/** Unregisters them: the engine's ops then run as TF.js ops (the reference implementations). */
export function removeNativeFusedKernels(): void {
  for (const kernelName of installed) tf.unregisterKernel(kernelName, 'wasm');
  installed.clear();
}
