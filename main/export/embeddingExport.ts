// Exports per-frame embeddings as one .npy per view, `<out>/<scene>/<view>.npy` ([T, D] float32), from a function
// that embeds a range of a track's frames (the encoder side plugs in here). Streamed in chunks of frames, so no
// track is ever whole in memory; progress per view, AbortSignal between chunks, a cancelled or failed view leaves
// no file (NpyWriter writes `.partial` and renames when complete).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/Catalog';
import { NpyWriter } from '../formats/npy';
import { throwIfCancelled, type ImportControl } from '../importers/common/progress';

export interface EmbeddingTrack {
  trackId: number;
  scene: string;
  view: string;
  frameCount: number;
}

/** Embeddings of frames [start, end) of a track: row-major [end - start, D]. */
export type EmbedFrames = (track: EmbeddingTrack, start: number, end: number) => Float32Array | Promise<Float32Array>;

export interface EmbeddingExportOptions extends ImportControl {
  /** Frames per call of `embed` (default 512). */
  chunkFrames?: number;
}

function tracksOf(catalog: Catalog, datasetId: number): EmbeddingTrack[] {
  return catalog.listScenes(datasetId).flatMap((scene) =>
    catalog
      .getScene(scene.id)
      .views.filter((view) => view.track && (view.track.frameCount ?? 0) > 0)
      .map((view) => ({ trackId: view.track!.id, scene: scene.name, view: view.name, frameCount: view.track!.frameCount! })),
  );
}

async function writeTrack(track: EmbeddingTrack, file: string, embed: EmbedFrames, chunkFrames: number, signal?: AbortSignal): Promise<void> {
  let writer: NpyWriter | undefined;
  try {
    for (let start = 0; start < track.frameCount; start += chunkFrames) {
      throwIfCancelled(signal, `exporting embeddings of ${track.scene}/${track.view}`);
      const end = Math.min(track.frameCount, start + chunkFrames);
      const rows = await embed(track, start, end);
      if (rows.length === 0 || rows.length % (end - start) !== 0) {
        throw new RangeError(`embed(${track.scene}/${track.view}, ${start}, ${end}): expected a multiple of ${end - start} values, got ${rows.length}`);
      }
      const dim = rows.length / (end - start);
      writer ??= NpyWriter.create(file, { dtype: 'float32', rows: track.frameCount, cols: dim });
      if (dim !== writer.cols) throw new RangeError(`embed(${track.scene}/${track.view}, ${start}, ${end}): expected ${writer.cols}-d rows, got ${dim}-d`);
      writer.writeRows(rows);
    }
    writer?.close();
  } catch (error) {
    writer?.abort();
    throw error;
  }
}

/** Writes every track's embeddings; returns the files written. */
export async function exportEmbeddings(
  catalog: Catalog,
  datasetId: number,
  out: string,
  embed: EmbedFrames,
  options: EmbeddingExportOptions = {},
): Promise<string[]> {
  const chunkFrames = options.chunkFrames ?? 512;
  if (!Number.isInteger(chunkFrames) || chunkFrames < 1) throw new RangeError(`expected chunkFrames >= 1, got ${chunkFrames}`);
  const tracks = tracksOf(catalog, datasetId);
  const files: string[] = [];
  for (const [index, track] of tracks.entries()) {
    const folder = join(out, track.scene);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${track.view}.npy`);
    await writeTrack(track, file, embed, chunkFrames, options.signal);
    files.push(file);
    options.onProgress?.({ done: index + 1, total: tracks.length, what: `${track.scene}/${track.view}` });
  }
  return files;
}
