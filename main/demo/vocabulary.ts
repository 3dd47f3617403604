// The demo's action vocabulary: a toy-vehicle assembly task in the spirit of Assembly101. Parts come in kinds, and
// each kind is handled by its own routine of verbs (a wheel is positioned and screwed, a roof is attached and
// pushed home, a boom is attached and rotated), so only the verb-object pairs of a part's routine occur: 12 verbs,
// 15 parts, 51 actions. The routines and the order in which kinds are usually assembled are the grammar the
// script generator follows (plan.ts).

export const demoVerbs = ['take', 'position', 'screw', 'tighten', 'align', 'insert', 'attach', 'push', 'rotate', 'adjust', 'inspect', 'put'] as const;
export const demoObjects = [
  'chassis', 'cabin', 'bumper',
  'wheel', 'axle', 'bolt',
  'arm', 'boom', 'bucket',
  'roof', 'door', 'light', 'seat',
  'ladder', 'hook',
] as const;

export type DemoVerb = (typeof demoVerbs)[number];
export type DemoObject = (typeof demoObjects)[number];

/** One step of a routine: the verb, and how often it is done (1: always; below 1: sometimes skipped). */
export interface RoutineStep {
  verb: DemoVerb;
  probability: number;
}

export interface PartKind {
  name: string;
  parts: readonly DemoObject[];
  /** The verbs after 'take', in order. */
  steps: readonly RoutineStep[];
}

const always = (verb: DemoVerb): RoutineStep => ({ verb, probability: 1 });
const sometimes = (verb: DemoVerb, probability: number): RoutineStep => ({ verb, probability });

/** The kinds in the order a vehicle is usually assembled: the body first, the small fittings last. */
export const partKinds: readonly PartKind[] = [
  { name: 'body', parts: ['chassis', 'cabin', 'bumper'], steps: [always('inspect'), sometimes('put', 0.5)] },
  { name: 'screwed', parts: ['wheel', 'axle', 'bolt'], steps: [always('position'), always('screw'), sometimes('tighten', 0.5)] },
  { name: 'jointed', parts: ['arm', 'boom', 'bucket'], steps: [always('attach'), always('rotate'), sometimes('adjust', 0.4)] },
  { name: 'snapped', parts: ['roof', 'door', 'light', 'seat'], steps: [always('attach'), sometimes('push', 0.5)] },
  { name: 'fitted', parts: ['ladder', 'hook'], steps: [always('align'), always('insert')] },
];

export interface DemoAction {
  label: string;
  verb: DemoVerb;
  object: DemoObject;
}

export const actionLabel = (verb: string, object: string) => `${verb} ${object}`;

/** The kind a part belongs to. */
export function kindOf(object: DemoObject): PartKind {
  return partKinds.find((kind) => kind.parts.includes(object))!;
}

/** Every action a routine can produce: per kind, per part, 'take' then the routine's verbs. */
export const demoVocabulary: DemoAction[] = partKinds.flatMap((kind) =>
  kind.parts.flatMap((object) =>
    [always('take'), ...kind.steps].map(({ verb }) => ({ label: actionLabel(verb, object), verb, object })),
  ),
);
