// The demo's action vocabulary: a toy-assembly task in the spirit of Assembly101, verbs x objects, with the
// usual order in which a worker handles one part (take, position, screw, inspect, put).

export const demoVerbs = ['take', 'position', 'screw', 'inspect', 'put'] as const;
export const demoObjects = ['wheel', 'chassis', 'cabin', 'arm', 'bolt', 'bumper'] as const;

export type DemoVerb = (typeof demoVerbs)[number];
export type DemoObject = (typeof demoObjects)[number];

export interface DemoAction {
  label: string;
  verb: DemoVerb;
  object: DemoObject;
}

export const actionLabel = (verb: string, object: string) => `${verb} ${object}`;

/** Every verb x object combination, verb-major. */
export const demoVocabulary: DemoAction[] = demoVerbs.flatMap((verb) =>
  demoObjects.map((object) => ({ label: actionLabel(verb, object), verb, object })),
);
