// Fuzz: encoder weights as .safetensors (header length, JSON header, tensor data) — every mutation of a valid file
// is decoded into a checked encoder config and finite tensors, or refused with an ArgumentError naming the file.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ArgumentError } from '../../contract/errors';
import { createEncoder } from '../../main/engine/encoder/encoder';
import { decodeEncoderSafetensors, encodeEncoderSafetensors } from '../../main/engine/weights/encoderWeights';
import { readSafetensorsHeaderFile } from '../../main/engine/weights/safetensors';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

it('decodes every mutated .safetensors fully or refuses it with an error naming the file', async () => {
  const summary = await fuzz(
    {
      name: 'safetensors',
      fileName: 'encoder.safetensors',
      valid: () => {
        const encoder = createEncoder({ inputDim: 6, modelDim: 8, layers: 2, heads: 2, ffDim: 16, tokens: 4, layerNormEps: 1e-5, posEmbed: 'learned' }, 7);
        try {
          return encodeEncoderSafetensors(encoder, { logitScale: 2.5 });
        } finally {
          encoder.dispose();
        }
      },
      parse: async (path) => {
        await readSafetensorsHeaderFile(path);
        return decodeEncoderSafetensors(readFileSync(path), {}, path);
      },
      isFormatError: (error) => error instanceof ArgumentError,
    },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});
