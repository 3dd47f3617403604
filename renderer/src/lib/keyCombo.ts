// Keyboard combinations as text ('Space', 'Shift+ArrowRight', 'Ctrl+Z', '?', '['): parsing what shortcuts declare
// and naming what a keydown event pressed, so the two compare as plain strings.

const modifierOrder = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const;
type Modifier = (typeof modifierOrder)[number];

const keyAliases: Record<string, string> = {
  ' ': 'Space',
  Spacebar: 'Space',
  Esc: 'Escape',
  Del: 'Delete',
  Left: 'ArrowLeft',
  Right: 'ArrowRight',
  Up: 'ArrowUp',
  Down: 'ArrowDown',
  Control: 'Ctrl',
  Cmd: 'Meta',
};

export class ShortcutKeysError extends Error {
  override name = 'ShortcutKeysError';
}

/** KeyboardEvent.key names a declaration may write in any case ('arrowright', 'ESCAPE'). */
const namedKeys = [
  'Space', 'Escape', 'Enter', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
];
const byLowerCase = new Map<string, string>([
  ...namedKeys.map((name) => [name.toLowerCase(), name] as const),
  ...Object.entries(keyAliases).map(([alias, name]) => [alias.toLowerCase(), name] as const),
]);

/** A key name as compared: letters upper-case, aliases and the case of named keys resolved. */
function keyName(key: string): string {
  if (key === ' ') return 'Space';
  if (key.length === 1) return key.toUpperCase();
  return byLowerCase.get(key.toLowerCase()) ?? key;
}

/** Whether Shift is implied by the character itself ('?', '!', '{'), so it must not be part of the name. */
function shiftIsInTheCharacter(key: string): boolean {
  return key.length === 1 && key.toUpperCase() === key.toLowerCase() && key !== ' ';
}

/** 'shift+arrowright' → 'Shift+ArrowRight'; throws ShortcutKeysError for an empty key or an unknown modifier. */
export function normalizeCombo(keys: string): string {
  const trimmed = keys.trim();
  // A trailing '+' is the plus key itself ('Ctrl++' or '+').
  const parts = trimmed.endsWith('+') ? [...trimmed.slice(0, -1).split('+').filter((p) => p !== ''), '+'] : trimmed.split('+');
  const key = parts.pop()?.trim() ?? '';
  if (key === '') throw new ShortcutKeysError(`shortcut keys "${keys}": expected a key after the modifiers`);
  const modifiers = new Set<Modifier>();
  for (const part of parts) {
    const name = keyName(part.trim());
    const modifier = modifierOrder.find((m) => m.toUpperCase() === name.toUpperCase());
    if (!modifier) throw new ShortcutKeysError(`shortcut keys "${keys}": expected modifiers among ${modifierOrder.join(', ')}, got "${part}"`);
    modifiers.add(modifier);
  }
  if (shiftIsInTheCharacter(key)) modifiers.delete('Shift');
  return [...modifierOrder.filter((m) => modifiers.has(m)), keyName(key)].join('+');
}

/** The combination a keydown pressed, in normalizeCombo's form. */
export function comboOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>): string {
  const modifiers: Modifier[] = [];
  if (event.ctrlKey) modifiers.push('Ctrl');
  if (event.altKey) modifiers.push('Alt');
  if (event.shiftKey && !shiftIsInTheCharacter(event.key)) modifiers.push('Shift');
  if (event.metaKey) modifiers.push('Meta');
  return [...modifiers, keyName(event.key)].join('+');
}

const keySymbols: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };

/** How a combination reads in the help overlay: 'Shift+ArrowRight' → 'Shift+→'. */
export function displayCombo(keys: string): string {
  const combo = normalizeCombo(keys);
  const key = combo.endsWith('+') ? '+' : combo.slice(combo.lastIndexOf('+') + 1);
  return combo.slice(0, combo.length - key.length) + (keySymbols[key] ?? key);
}
