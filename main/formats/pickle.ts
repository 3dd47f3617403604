// An interpreter for a whitelisted subset of Python's pickle format, for reading data a pickle describes (PyTorch's
// data.pkl) without executing it. Only the opcodes that build plain values are understood — ints, strings,
// None/True/False, tuples, the memo, marks — plus GLOBAL/STACK_GLOBAL for names the caller allows, REDUCE of an
// allowed name (the caller builds the value; nothing is called) and BINPERSID (the caller resolves the id).
// Any other opcode (dicts, lists, BUILD, object construction, extension codes, ...) and any other global is
// refused with a PickleError naming the file, the byte offset and the opcode or global. Sizes are bounded (strings,
// stack, memo, marks) so a hostile pickle cannot make the reader allocate without limit.
// Format: CPython's Lib/pickletools.py (opcode table, protocols 0–5) and PEP 3154 (protocol 4: FRAME, MEMOIZE,
// STACK_GLOBAL, SHORT_BINUNICODE).

/** The pickle is malformed or asks for something this interpreter refuses; names the file, offset and opcode. */
export class PickleError extends Error {
  override name = 'PickleError';
  constructor(
    readonly file: string,
    readonly offset: number,
    problem: string,
  ) {
    super(`${file}: pickle byte ${offset}: ${problem}`);
  }
}

export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A name the pickle refers to (module.name), only ever one the caller allowed; it is never imported or called. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A value the caller built (from REDUCE or BINPERSID); `kind` names it in messages. */
export interface PickleObject {
  readonly kind: string;
}

export type PickleValue = null | boolean | number | string | PickleTuple | PickleGlobal | PickleObject;

export interface PickleRules {
  /** Globals the pickle may name, as "module.name"; any other is refused at its GLOBAL opcode. */
  globals: ReadonlySet<string>;
  /** REDUCE of an allowed global with its argument tuple: the value it stands for, or `refuse(why)`. */
  reduce(callable: PickleGlobal, args: PickleTuple, refuse: (problem: string) => never): PickleValue;
  /** BINPERSID: the value a persistent id stands for, or `refuse(why)`. */
  persistentLoad(pid: PickleValue, refuse: (problem: string) => never): PickleValue;
}

const MAX_STACK = 1024;
const MAX_MEMO = 1024;
const MAX_MARKS = 64;
const MAX_STRING_BYTES = 1024;
const MAX_PROTOCOL = 5;

/** Opcode names (pickletools) for messages, including the ones refused. */
const OPCODE_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Why a known but unsupported opcode is refused, where a plain word helps. */
const REFUSED_BECAUSE: Record<number, string> = {
  0x7d: 'it starts a dict (e.g. a state_dict or a dict of tensors)',
  0x64: 'it builds a dict (e.g. a state_dict or a dict of tensors)',
  0x5d: 'it starts a list (e.g. a list of tensors)',
  0x6c: 'it builds a list (e.g. a list of tensors)',
  0x62: 'it sets an object\'s state (BUILD), which runs code of that object\'s class when unpickled',
  0x81: 'it constructs an object, which runs code of its class when unpickled',
  0x92: 'it constructs an object, which runs code of its class when unpickled',
  0x69: 'it constructs an object, which runs code of its class when unpickled',
  0x6f: 'it constructs an object, which runs code of its class when unpickled',
};

function describeOpcode(code: number): string {
  return `${OPCODE_NAMES[code] ?? 'unknown opcode'} (0x${code.toString(16).padStart(2, '0')})`;
}

/** Words for a value's kind, for messages ("a 3-tuple", "the global torch.FloatStorage"). */
export function describePickleValue(value: PickleValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'a bool';
  if (typeof value === 'number') return 'an int';
  if (typeof value === 'string') return 'a str';
  if (value instanceof PickleTuple) return `a ${value.items.length}-tuple`;
  if (value instanceof PickleGlobal) return `the global ${value.qualifiedName}`;
  return value.kind;
}

class Interpreter {
  readonly #stack: PickleValue[] = [];
  readonly #marks: number[] = [];
  readonly #memo = new Map<number, PickleValue>();
  #at = 0;
  #opcodeAt = 0;
  #opcode = 0;

  constructor(
    readonly bytes: Buffer,
    readonly file: string,
    readonly rules: PickleRules,
  ) {}

  fail(problem: string): never {
    throw new PickleError(this.file, this.#opcodeAt, `${describeOpcode(this.#opcode)}: ${problem}`);
  }

  take(count: number): Buffer {
    if (count > this.bytes.length - this.#at) this.fail(`the pickle ends ${this.bytes.length - this.#at} bytes into a ${count}-byte argument`);
    const slice = this.bytes.subarray(this.#at, this.#at + count);
    this.#at += count;
    return slice;
  }

  line(): string {
    const end = this.bytes.indexOf(0x0a, this.#at);
    if (end < 0 || end - this.#at > MAX_STRING_BYTES) this.fail('expected a name ending in a newline');
    const text = this.bytes.toString('utf8', this.#at, end);
    this.#at = end + 1;
    return text;
  }

  push(value: PickleValue): void {
    if (this.#stack.length >= MAX_STACK) this.fail(`the stack would exceed ${MAX_STACK} values`);
    this.#stack.push(value);
  }

  pop(): PickleValue {
    const floor = this.#marks.at(-1) ?? 0;
    if (this.#stack.length <= floor) this.fail('the stack is empty');
    return this.#stack.pop()!;
  }

  popMark(): PickleValue[] {
    const mark = this.#marks.pop();
    if (mark === undefined) this.fail('no MARK to pop to');
    return this.#stack.splice(mark);
  }

  text(length: number): string {
    if (length > MAX_STRING_BYTES) this.fail(`a string of ${length} bytes is longer than the ${MAX_STRING_BYTES} accepted`);
    return this.take(length).toString('utf8');
  }

  put(index: number): void {
    if (this.#stack.length === 0) this.fail('nothing on the stack to memoize');
    if (!this.#memo.has(index) && this.#memo.size >= MAX_MEMO) this.fail(`the memo would exceed ${MAX_MEMO} entries`);
    this.#memo.set(index, this.#stack.at(-1)!);
  }

  get(index: number): void {
    if (!this.#memo.has(index)) this.fail(`memo entry ${index} was never stored`);
    this.push(this.#memo.get(index)!);
  }

  global(module: string, name: string): void {
    const qualified = `${module}.${name}`;
    if (!this.rules.globals.has(qualified)) {
      this.fail(
        `global ${qualified} is not allowed (allowed: ${[...this.rules.globals].join(', ')}); ` +
          'the file was refused and nothing in it was run',
      );
    }
    this.push(new PickleGlobal(module, name));
  }

  longInt(bytes: Buffer): number {
    if (bytes.length === 0) return 0;
    if (bytes.length > 8) this.fail(`an integer of ${bytes.length} bytes is too large`);
    let value = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
    if (bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`the integer ${value} is too large`);
    return Number(value);
  }

  run(): PickleValue {
    const refuse = (problem: string): never => this.fail(problem);
    while (this.#at < this.bytes.length) {
      this.#opcodeAt = this.#at;
      this.#opcode = this.bytes[this.#at++]!;
      switch (this.#opcode) {
        case 0x80: {
          const protocol = this.take(1)[0]!;
          if (protocol > MAX_PROTOCOL) this.fail(`protocol ${protocol} is newer than ${MAX_PROTOCOL}`);
          break;
        }
        case 0x95:
          this.take(8);
          break;
        case 0x2e: {
          if (this.#marks.length > 0) this.fail('a MARK is still open');
          if (this.#stack.length !== 1) this.fail(`expected one value on the stack, found ${this.#stack.length}`);
          return this.#stack.pop()!;
        }
        case 0x28:
          if (this.#marks.length >= MAX_MARKS) this.fail(`more than ${MAX_MARKS} nested MARKs`);
          this.#marks.push(this.#stack.length);
          break;
        case 0x74:
          this.push(new PickleTuple(this.popMark()));
          break;
        case 0x29:
          this.push(new PickleTuple([]));
          break;
        case 0x85:
        case 0x86:
        case 0x87: {
          const items: PickleValue[] = [];
          for (let i = 0; i <= this.#opcode - 0x85; i++) items.unshift(this.pop());
          this.push(new PickleTuple(items));
          break;
        }
        case 0x4e:
          this.push(null);
          break;
        case 0x88:
          this.push(true);
          break;
        case 0x89:
          this.push(false);
          break;
        case 0x4a:
          this.push(this.take(4).readInt32LE(0));
          break;
        case 0x4b:
          this.push(this.take(1)[0]!);
          break;
        case 0x4d:
          this.push(this.take(2).readUInt16LE(0));
          break;
        case 0x8a:
          this.push(this.longInt(this.take(this.take(1)[0]!)));
          break;
        case 0x58:
          this.push(this.text(this.take(4).readUInt32LE(0)));
          break;
        case 0x8c:
          this.push(this.text(this.take(1)[0]!));
          break;
        case 0x63: {
          const module = this.line();
          this.global(module, this.line());
          break;
        }
        case 0x93: {
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail(`expected module and name strings, got ${describePickleValue(module)} and ${describePickleValue(name)}`);
          this.global(module, name);
          break;
        }
        case 0x71:
          this.put(this.take(1)[0]!);
          break;
        case 0x72:
          this.put(this.take(4).readUInt32LE(0));
          break;
        case 0x94:
          this.put(this.#memo.size);
          break;
        case 0x68:
          this.get(this.take(1)[0]!);
          break;
        case 0x6a:
          this.get(this.take(4).readUInt32LE(0));
          break;
        case 0x51:
          this.push(this.rules.persistentLoad(this.pop(), refuse));
          break;
        case 0x52: {
          const args = this.pop();
          const callable = this.pop();
          if (!(callable instanceof PickleGlobal)) this.fail(`expected an allowed global to reduce, got ${describePickleValue(callable)}`);
          if (!(args instanceof PickleTuple)) this.fail(`expected an argument tuple for ${callable.qualifiedName}, got ${describePickleValue(args)}`);
          this.push(this.rules.reduce(callable, args, refuse));
          break;
        }
        default: {
          const why = REFUSED_BECAUSE[this.#opcode];
          this.fail(`not supported${why ? `: ${why}` : ''}; only the opcodes a single saved tensor needs are read`);
        }
      }
    }
    throw new PickleError(this.file, this.bytes.length, 'the pickle ends without STOP');
  }
}

/** Interprets the pickle `bytes` (from `file`, for messages) under `rules`; returns the value STOP leaves. */
export function interpretPickle(bytes: Buffer, file: string, rules: PickleRules): PickleValue {
  return new Interpreter(bytes, file, rules).run();
}
