"""Writes LMDB environments with the reference LMDB C library (through Python's ``lmdb`` binding), the way
Assembly101's own tooling writes its TSM feature environments. Used by the tests and by ``npm run bench:features``
so that EVGAP Studio's own LMDB reader (main/formats/lmdb) is checked against files it did not write.

Usage: python3 write_lmdb.py MAP_SIZE_BYTES < records

The records on standard input are a byte stream of operations, each one tag byte then its fields
(lengths are little-endian uint32):
  E plen path             open (creating it) the environment folder ``path``; a write transaction begins
  P klen key vlen value   put key = value in the current database of the current write transaction
  T                       commit the write transaction and begin a new one (a new meta page is written)
  D nlen name dupsort     switch to the named sub-database ``name`` (dupsort: one byte, 0 or 1)

When the next environment is opened, and after the last record, the transaction is committed, the environment
closed and one JSON line printed: its main database's statistics (psize, depth, branch_pages, leaf_pages,
overflow_pages, entries), so a test can check the shape it built.
"""
import json
import struct
import sys

import lmdb


def read_exactly(stream, n):
    data = stream.read(n)
    if len(data) != n:
        raise SystemExit(f"write_lmdb.py: records end inside a field (expected {n} bytes, got {len(data)})")
    return data


def read_field(stream):
    (length,) = struct.unpack("<I", read_exactly(stream, 4))
    return read_exactly(stream, length)


def close(env, txn):
    txn.commit()
    stat = env.stat()
    print(json.dumps({name: stat[name] for name in ("psize", "depth", "branch_pages", "leaf_pages", "overflow_pages", "entries")}))
    env.close()


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: write_lmdb.py MAP_SIZE_BYTES < records")
    map_size = int(sys.argv[1])
    stream = sys.stdin.buffer
    env = txn = db = None
    while True:
        tag = stream.read(1)
        if not tag:
            break
        if tag == b"E":
            path = read_field(stream).decode("utf-8")
            if env is not None:
                close(env, txn)
            env = lmdb.open(path, map_size=map_size, subdir=True, max_dbs=8)
            txn = env.begin(write=True)
            db = None
        elif env is None:
            raise SystemExit(f"write_lmdb.py: record {tag!r} before any environment (E)")
        elif tag == b"P":
            key = read_field(stream)
            value = read_field(stream)
            txn.put(key, value, db=db)
        elif tag == b"T":
            txn.commit()
            txn = env.begin(write=True)
        elif tag == b"D":
            name = read_field(stream)
            dupsort = read_exactly(stream, 1) == b"\x01"
            txn.commit()
            db = env.open_db(name, dupsort=dupsort)
            txn = env.begin(write=True)
        else:
            raise SystemExit(f"write_lmdb.py: unknown record tag {tag!r}")
    if env is not None:
        close(env, txn)


if __name__ == "__main__":
    main()
