// Moving annotation files in and out of the page: an export is handed to the browser as a download (a Blob link,
// no server round trip), an import is read from the file the person chose.
import type { AnnotationFile } from '../../../../../contract/api';

export function downloadTextFile(file: AnnotationFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the data once the click has run; the URL is only released after it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export class AnnotationFileError extends Error {
  override name = 'AnnotationFileError';
}

/** The text of a chosen file; refuses files too large for the importAnnotations call. */
export async function readTextFile(file: File, maxBytes = 50_000_000): Promise<string> {
  if (file.size > maxBytes) throw new AnnotationFileError(`${file.name} is ${file.size} bytes; expected at most ${maxBytes}`);
  return file.text();
}
