// Positioned reads of untrusted files: exactly `length` bytes at `position`, or fewer when the file ends first (the
// caller decides whether a short read is an error and names the file and offset in it).
import { readSync } from 'node:fs';

/** Up to `length` bytes at `position` of the open file `fd`; shorter only where the file ends. */
export function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}
