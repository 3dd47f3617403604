// Assembly101's cameras: 16 names on disk for 12 logical views. The 8 fixed exocentric RGB cameras are v1..v8 in
// the order their ids sort (C10095 → v1 ... C10404 → v8); the 4 egocentric headset cameras are e1..e4, each with
// two names because two headsets were used (84… and 21… serial numbers). A recording uses one headset.
import type { Role } from '../../../contract/api';

export interface LogicalView {
  name: string;
  role: Role;
}

/** The exocentric camera ids, sorted: index i is view v{i+1}. */
export const EXO_CAMERAS = [
  'C10095_rgb',
  'C10115_rgb',
  'C10118_rgb',
  'C10119_rgb',
  'C10379_rgb',
  'C10390_rgb',
  'C10395_rgb',
  'C10404_rgb',
] as const;

/** Each ego view's two possible on-disk names (first headset, second headset). */
export const EGO_CAMERAS: Readonly<Record<string, readonly [string, string]>> = {
  e1: ['HMC_84346135_mono10bit', 'HMC_21176875_mono10bit'],
  e2: ['HMC_84347414_mono10bit', 'HMC_21176623_mono10bit'],
  e3: ['HMC_84355350_mono10bit', 'HMC_21110305_mono10bit'],
  e4: ['HMC_84358933_mono10bit', 'HMC_21179183_mono10bit'],
};

/** The 12 logical views in catalog order: e1..e4, then v1..v8. */
export const LOGICAL_VIEWS: readonly LogicalView[] = [
  ...Object.keys(EGO_CAMERAS).map((name) => ({ name, role: 'ego' as const })),
  ...EXO_CAMERAS.map((_, i) => ({ name: `v${i + 1}`, role: 'exo' as const })),
];

const byDiskName = new Map<string, LogicalView>([
  ...Object.entries(EGO_CAMERAS).flatMap(([name, disk]) => disk.map((d) => [d, { name, role: 'ego' as const }] as const)),
  ...EXO_CAMERAS.map((d, i) => [d, { name: `v${i + 1}`, role: 'exo' as const }] as const),
]);

/** The logical view of an on-disk camera name, or undefined for a name not in the mapping. */
export function logicalView(diskName: string): LogicalView | undefined {
  return byDiskName.get(diskName);
}

/** Every on-disk name in the mapping (for error messages). */
export const DISK_VIEW_NAMES: readonly string[] = [...byDiskName.keys()];
