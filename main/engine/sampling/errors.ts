// Why sampling cannot go on with the data it was given (bad settings are ArgumentErrors from settings.ts).

/** A feature track's dimension differs from the encoder's input size (or from the other tracks'). */
export class FeatureDimensionError extends Error {
  override name = 'FeatureDimensionError';
}

/** The selected scenes have no ego views, or no exo views, so no ego-exo clip can be made. */
export class MissingViewsError extends Error {
  override name = 'MissingViewsError';
}

/** Every scene was filtered out or skipped; the message lists why. */
export class NoUsableScenesError extends Error {
  override name = 'NoUsableScenesError';
}
