// Undo and redo over a list of commands. Each command records the state before and after it (the states are
// immutable values, so a command is two references), with a description for the buttons' titles ("Undo split").
// Applying a new command drops what could have been redone, as editors do.

export interface EditCommand<T> {
  description: string;
  before: T;
  after: T;
}

export class EditHistory<T> {
  #present: T;
  #done: EditCommand<T>[] = [];
  #undone: EditCommand<T>[] = [];
  readonly #limit: number;

  constructor(initial: T, limit = 500) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`expected a history limit >= 1, got ${limit}`);
    this.#present = initial;
    this.#limit = limit;
  }

  get present(): T {
    return this.#present;
  }

  get canUndo(): boolean {
    return this.#done.length > 0;
  }

  get canRedo(): boolean {
    return this.#undone.length > 0;
  }

  /** What undo would take back, or null. */
  get undoDescription(): string | null {
    return this.#done.at(-1)?.description ?? null;
  }

  get redoDescription(): string | null {
    return this.#undone.at(-1)?.description ?? null;
  }

  /** Records a change to `after`; the oldest command is forgotten beyond the limit. */
  apply(after: T, description: string): T {
    this.#done.push({ description, before: this.#present, after });
    if (this.#done.length > this.#limit) this.#done.shift();
    this.#undone = [];
    this.#present = after;
    return after;
  }

  /** Steps back one command; returns the new present, or null when there is nothing to undo. */
  undo(): T | null {
    const command = this.#done.pop();
    if (!command) return null;
    this.#undone.push(command);
    this.#present = command.before;
    return this.#present;
  }

  redo(): T | null {
    const command = this.#undone.pop();
    if (!command) return null;
    this.#done.push(command);
    this.#present = command.after;
    return this.#present;
  }

  /** Starts over from `state` with no commands (another scene was opened). */
  reset(state: T): void {
    this.#present = state;
    this.#done = [];
    this.#undone = [];
  }
}
