"""Times Python's ``lmdb`` (the reference LMDB C library) reading one feature track, for ``npm run bench:features``:
a cursor scan of every key with the track's prefix (each value a fresh ``bytes``, dropped), the same scan copying
each value into a preallocated [frames, dim] float32 numpy array (what a reader that hands on the track must do),
and one ``get`` per frame key. The environment is opened read-only without a lock file; each way is timed
``repeats`` times in this process (warm page cache after the first), and one JSON line is printed: frames and, for
each way, the wall-clock and CPU (user + system) seconds of every repeat.

Usage: python3 read_lmdb_bench.py ENVIRONMENT_FOLDER KEY_PREFIX FRAMES REPEATS
Frame keys are KEY_PREFIX + the frame number (from 1) as 10 digits + ".jpg", as Assembly101's TSM features.
"""
import json
import sys
import time

import lmdb
import numpy as np


def cursor_scan(env, prefix):
    frames = 0
    with env.begin(buffers=False) as txn:
        cursor = txn.cursor()
        if cursor.set_range(prefix):
            for key, value in cursor:
                if not key.startswith(prefix):
                    break
                frames += 1
    return frames


def cursor_scan_into(env, prefix, out):
    frames = 0
    with env.begin(buffers=True) as txn:
        cursor = txn.cursor()
        if cursor.set_range(prefix):
            for key, value in cursor:
                if not bytes(key).startswith(prefix):
                    break
                out[frames] = np.frombuffer(value, dtype=np.float32)
                frames += 1
    return frames


def get_per_frame(env, prefix, frames):
    found = 0
    with env.begin(buffers=False) as txn:
        for frame in range(1, frames + 1):
            if txn.get(prefix + b"%010d.jpg" % frame) is not None:
                found += 1
    return found


def timed(run, repeats, frames):
    seconds = {"wall": [], "cpu": []}
    for _ in range(repeats):
        cpu = time.process_time()
        start = time.perf_counter()
        count = run()
        seconds["wall"].append(time.perf_counter() - start)
        seconds["cpu"].append(time.process_time() - cpu)
        if count != frames:
            raise SystemExit(f"read_lmdb_bench.py: expected {frames} frames, read {count}")
    return seconds


def main():
    if len(sys.argv) != 5:
        raise SystemExit("usage: read_lmdb_bench.py ENVIRONMENT_FOLDER KEY_PREFIX FRAMES REPEATS")
    folder, prefix, frames, repeats = sys.argv[1], sys.argv[2].encode("utf-8"), int(sys.argv[3]), int(sys.argv[4])
    env = lmdb.open(folder, readonly=True, lock=False)
    scan = timed(lambda: cursor_scan(env, prefix), repeats, frames)
    with env.begin() as txn:
        cursor = txn.cursor()
        dim = len(cursor.value()) // 4 if cursor.set_range(prefix) else 0
    out = np.empty((frames, dim), dtype=np.float32)
    scan_into = timed(lambda: cursor_scan_into(env, prefix, out), repeats, frames)
    get = timed(lambda: get_per_frame(env, prefix, frames), repeats, frames)
    env.close()
    print(json.dumps({"frames": frames, "lmdbVersion": ".".join(map(str, lmdb.version())), "scan": scan, "scanIntoArray": scan_into, "get": get}))


if __name__ == "__main__":
    main()
