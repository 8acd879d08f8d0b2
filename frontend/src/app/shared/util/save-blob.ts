/** Saves a downloaded file (a PDF, a report, a template, an attachment) under a file name without leaving the page. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Some browsers read the file after click() returns; the URL lives long enough for a large one.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
