// Undo and redo of sync offset changes: each change records the view, its offset before and after, so undo puts the
// old offset back and redo the new one. A new change drops what could have been redone, as editors do; a change
// whose save failed is taken out again.

export interface OffsetChange {
  viewId: number;
  viewName: string;
  from: number;
  to: number;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** "v2 +3 → +5": what a change did, for the Undo and Redo buttons' titles. */
export function describeChange(change: OffsetChange): string {
  return `${change.viewName} ${signed(change.from)} → ${signed(change.to)}`;
}

export class OffsetHistory {
  #done: OffsetChange[] = [];
  #undone: OffsetChange[] = [];
  readonly #limit: number;

  constructor(limit = 200) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`expected a history limit >= 1, got ${limit}`);
    this.#limit = limit;
  }

  get nextUndo(): OffsetChange | null {
    return this.#done.at(-1) ?? null;
  }

  get nextRedo(): OffsetChange | null {
    return this.#undone.at(-1) ?? null;
  }

  record(change: OffsetChange): void {
    this.#done.push(change);
    if (this.#done.length > this.#limit) this.#done.shift();
    this.#undone = [];
  }

  /** Takes a change out again (its save failed). */
  forget(change: OffsetChange): void {
    this.#done = this.#done.filter((c) => c !== change);
    this.#undone = this.#undone.filter((c) => c !== change);
  }

  /** The change to take back, moved to the redo list; null when there is none. */
  undo(): OffsetChange | null {
    const change = this.#done.pop();
    if (change) this.#undone.push(change);
    return change ?? null;
  }

  redo(): OffsetChange | null {
    const change = this.#undone.pop();
    if (change) this.#done.push(change);
    return change ?? null;
  }

  /** Puts a change back where it was after its undo (or redo) could not be saved. */
  restore(change: OffsetChange, after: 'undo' | 'redo'): void {
    if (after === 'undo') {
      this.#undone = this.#undone.filter((c) => c !== change);
      this.#done.push(change);
    } else {
      this.#done = this.#done.filter((c) => c !== change);
      this.#undone.push(change);
    }
  }
}
