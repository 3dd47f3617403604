// The restricted pickle interpreter on pickles assembled opcode by opcode: protocol-4 forms (FRAME, MEMOIZE,
// STACK_GLOBAL, SHORT_BINUNICODE), ints of every width, the memo; and refusals naming the offset and opcode —
// an unlisted global (GLOBAL and STACK_GLOBAL), BUILD, REDUCE of something not allowed, bounds (strings, marks,
// stack), a missing STOP and a truncated argument.
import { describe, expect, it } from 'vitest';
import { interpretPickle, PickleError, PickleGlobal, PickleTuple, type PickleRules, type PickleValue } from '../../../main/formats/pickle';

const rules: PickleRules = {
  globals: new Set(['mod.make']),
  reduce: (callable, args) => ({ kind: `made by ${callable.qualifiedName}`, args }) as PickleValue,
  persistentLoad: (pid, refuse) => (typeof pid === 'string' ? { kind: `storage ${pid}` } : refuse('expected a string id')),
};

const op = (...parts: (number | string | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const i32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};
const short = (text: string) => op(0x8c, text.length, text);
const run = (bytes: Buffer) => interpretPickle(bytes, 'x.pkl', rules);

describe('interpretPickle', () => {
  it('builds tuples of ints, strings, None and bools, with the memo', () => {
    const bytes = op(0x80, 2, '(', 'K', 7, 'M', Buffer.from([0x34, 0x12]), 'J', i32(-5), 0x8a, 3, Buffer.from([0, 0, 0x80]), 0x8a, 0,
      'X', u32(3), 'abc', 'q', 1, 'N', 0x88, 0x89, 'h', 1, 't', '.');
    const value = run(bytes) as PickleTuple;
    expect(value).toBeInstanceOf(PickleTuple);
    expect(value.items).toEqual([7, 0x1234, -5, -0x800000, 0, 'abc', null, true, false, 'abc']);
  });

  it('reads protocol 4: FRAME, STACK_GLOBAL, MEMOIZE, REDUCE and BINPERSID through the rules', () => {
    const bytes = op(0x80, 4, 0x95, Buffer.alloc(8), short('mod'), 0x94, short('make'), 0x94, 0x93, 0x94,
      short('key'), 'Q', 0x85, 'R', '.');
    const value = run(bytes) as { kind: string; args: PickleTuple };
    expect(value.kind).toBe('made by mod.make');
    expect(value.args.items).toEqual([{ kind: 'storage key' }]);
  });

  it('refuses globals that are not allowed, by GLOBAL or STACK_GLOBAL, before anything else happens', () => {
    expect(() => run(op(0x80, 2, 'c', 'posix\nsystem\n', '.'))).toThrow(/x\.pkl: pickle byte 2: GLOBAL \(0x63\): global posix\.system is not allowed \(allowed: mod\.make\)/);
    expect(() => run(op(0x80, 4, short('builtins'), short('eval'), 0x93, '.'))).toThrow(/pickle byte 18: STACK_GLOBAL \(0x93\): global builtins\.eval is not allowed/);
    expect(() => run(op('c', '__main__\nEvil\n'))).toThrow(PickleError);
  });

  it('refuses BUILD, object construction, dicts and REDUCE of a non-global, naming the opcode', () => {
    expect(() => run(op('c', 'mod\nmake\n', ')', 'R', '}', 'b', '.'))).toThrow(/pickle byte 12: EMPTY_DICT \(0x7d\): not supported: it starts a dict/);
    expect(() => run(op('N', 'N', 'b', '.'))).toThrow(/pickle byte 2: BUILD \(0x62\): not supported: it sets an object's state/);
    expect(() => run(op('N', ')', 0x81, '.'))).toThrow(/NEWOBJ \(0x81\): not supported: it constructs an object/);
    expect(() => run(op('X', u32(1), 'f', ')', 'R', '.'))).toThrow(/REDUCE \(0x52\): expected an allowed global to reduce, got a str/);
    expect(() => run(op('K', 1, 'Q', '.'))).toThrow(/BINPERSID \(0x51\): expected a string id/);
    expect(() => run(op(0xff))).toThrow(/pickle byte 0: unknown opcode \(0xff\): not supported/);
  });

  it('bounds what a hostile pickle can make it allocate or read', () => {
    expect(() => run(op('X', u32(0xffffffff)))).toThrow(/BINUNICODE \(0x58\): a string of 4294967295 bytes is longer than the 1024 accepted/);
    expect(() => run(op('X', u32(10), 'abc'))).toThrow(/BINUNICODE \(0x58\): the pickle ends 3 bytes into a 10-byte argument/);
    expect(() => run(op('('.repeat(65)))).toThrow(/pickle byte 64: MARK \(0x28\): more than 64 nested MARKs/);
    expect(() => run(op(...Array.from({ length: 1025 }, () => 'N')))).toThrow(/NONE \(0x4e\): the stack would exceed 1024 values/);
    expect(() => run(op(0x8a, 9, Buffer.alloc(9)))).toThrow(/LONG1 \(0x8a\): an integer of 9 bytes is too large/);
    expect(() => run(op('h', 3))).toThrow(/BINGET \(0x68\): memo entry 3 was never stored/);
    expect(() => run(op('N', 'N', '.'))).toThrow(/STOP \(0x2e\): expected one value on the stack, found 2/);
    expect(() => run(op(0x80, 2, 'N'))).toThrow(/x\.pkl: pickle byte 3: the pickle ends without STOP/);
    expect(() => run(op('t'))).toThrow(/TUPLE \(0x74\): no MARK to pop to/);
  });

  it('hands allowed globals on as names, never as something callable', () => {
    const value = run(op('c', 'mod\nmake\n', '.'));
    expect(value).toBeInstanceOf(PickleGlobal);
    expect((value as PickleGlobal).qualifiedName).toBe('mod.make');
  });
});
