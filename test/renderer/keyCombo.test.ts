// Shortcut key names: what shortcuts declare and what keydown events press compare equal.
import { describe, expect, it } from 'vitest';
import { comboOf, displayCombo, normalizeCombo, ShortcutKeysError } from '../../renderer/src/lib/keyCombo';

const press = (key: string, modifiers: { ctrl?: boolean; alt?: boolean; shift?: boolean; meta?: boolean } = {}) =>
  comboOf({ key, ctrlKey: !!modifiers.ctrl, altKey: !!modifiers.alt, shiftKey: !!modifiers.shift, metaKey: !!modifiers.meta });

describe('normalizeCombo and comboOf', () => {
  it('match the space bar, arrows with Shift, and letters in either case', () => {
    expect(press(' ')).toBe(normalizeCombo('Space'));
    expect(press('ArrowRight', { shift: true })).toBe(normalizeCombo('shift+arrowright'));
    expect(press('z', { ctrl: true })).toBe(normalizeCombo('Ctrl+Z'));
    expect(press('Z', { ctrl: true, shift: true })).toBe(normalizeCombo('Ctrl+Shift+Z'));
    expect(press('z', { ctrl: true })).not.toBe(normalizeCombo('Ctrl+Shift+Z'));
  });

  it('ignore the Shift that typing ?, [ or ! needs', () => {
    expect(press('?', { shift: true })).toBe(normalizeCombo('?'));
    expect(press(']')).toBe(normalizeCombo(']'));
    expect(normalizeCombo('Shift+?')).toBe('?');
  });

  it('orders modifiers and resolves aliases', () => {
    expect(normalizeCombo('shift+ctrl+esc')).toBe('Ctrl+Shift+Escape');
    expect(normalizeCombo('Ctrl++')).toBe('Ctrl++');
    expect(press('+', { ctrl: true, shift: true })).toBe('Ctrl++');
  });

  it('rejects an unknown modifier or a missing key, naming the keys', () => {
    expect(() => normalizeCombo('Hyper+K')).toThrow(ShortcutKeysError);
    expect(() => normalizeCombo('Hyper+K')).toThrow(/"Hyper\+K".*got "Hyper"/);
    expect(() => normalizeCombo('  ')).toThrow(/expected a key/);
  });
});

describe('displayCombo', () => {
  it('writes arrows as symbols and Escape as Esc', () => {
    expect(displayCombo('Shift+ArrowLeft')).toBe('Shift+←');
    expect(displayCombo('Escape')).toBe('Esc');
    expect(displayCombo('Ctrl++')).toBe('Ctrl++');
  });
});
