// The page's keyboard shortcuts: each part of the UI registers a named group while it is on screen; one keydown
// listener runs the matching shortcut (the latest registered wins, so a panel can override a global key while it is
// open) and ignores keys typed into text fields. The help overlay lists every registered group.
import { untrack } from 'svelte';
import { comboOf, displayCombo, normalizeCombo } from './keyCombo';

export interface Shortcut {
  /** 'Space', 'Shift+ArrowRight', 'Ctrl+Z', '?' (letters case-insensitive), or several that do the same. */
  keys: string | string[];
  description: string;
  run: (event: KeyboardEvent) => void;
  /** Only active while this returns true. */
  when?: () => boolean;
  /** How the help overlay writes the keys (default: the keys, ' / ' between several), e.g. '1–9'. */
  label?: string;
}

export interface ShortcutGroup {
  group: string;
  shortcuts: { label: string; description: string }[];
}

interface Registration {
  id: number;
  group: string;
  shortcuts: (Shortcut & { combos: string[] })[];
}

export class ShortcutRegistry {
  /** Whether the help overlay is open. */
  helpOpen = $state(false);
  #registrations = $state.raw<Registration[]>([]);
  #nextId = 1;
  /** Reports a shortcut whose action threw (so no key press fails silently). */
  readonly #onError: (title: string, error: unknown) => void;

  constructor(onError: (title: string, error: unknown) => void) {
    this.#onError = onError;
  }

  /** Adds a group of shortcuts; returns the function that removes them. Untracked, so it fits an $effect. */
  register(group: string, shortcuts: Shortcut[]): () => void {
    return untrack(() => this.#register(group, shortcuts));
  }

  #register(group: string, shortcuts: Shortcut[]): () => void {
    const registration: Registration = {
      id: this.#nextId++,
      group,
      shortcuts: shortcuts.map((s) => ({ ...s, combos: keyList(s.keys).map(normalizeCombo) })),
    };
    this.#registrations = [...this.#registrations, registration];
    return () =>
      untrack(() => {
        this.#registrations = this.#registrations.filter((r) => r.id !== registration.id);
      });
  }

  /** Every registered group with its shortcuts, groups of the same name merged, in registration order. */
  get groups(): ShortcutGroup[] {
    const byName = new Map<string, ShortcutGroup>();
    for (const { group, shortcuts } of this.#registrations) {
      const entry = byName.get(group) ?? { group, shortcuts: [] };
      entry.shortcuts.push(...shortcuts.map((s) => ({ label: s.label ?? keyList(s.keys).map(displayCombo).join(' / '), description: s.description })));
      byName.set(group, entry);
    }
    return [...byName.values()];
  }

  /** The window's keydown handler; returns whether a shortcut ran. */
  handle = (event: KeyboardEvent): boolean => {
    if (event.defaultPrevented || event.isComposing || typesText(event.target)) return false;
    const combo = comboOf(event);
    const shortcut = this.#find(combo);
    if (!shortcut) return false;
    event.preventDefault();
    try {
      shortcut.run(event);
    } catch (error) {
      this.#onError(`The shortcut ${combo} (${shortcut.description}) failed`, error);
    }
    return true;
  };

  #find(combo: string): Shortcut | undefined {
    for (let r = this.#registrations.length - 1; r >= 0; r--) {
      const found = this.#registrations[r]!.shortcuts.find((s) => s.combos.includes(combo) && (s.when?.() ?? true));
      if (found) return found;
    }
    return undefined;
  }
}

function keyList(keys: string | string[]): string[] {
  return typeof keys === 'string' ? [keys] : keys;
}

/** Whether keys pressed in `target` are typing (text fields, text areas, selects, editable content). */
function typesText(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(target.type);
  return false;
}
