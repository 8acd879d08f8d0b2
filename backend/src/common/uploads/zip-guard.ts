import * as yauzl from 'yauzl';
import type { ZipLimits } from './upload-limits';
import { mb, uploadInvalid, uploadTooLarge } from './upload-errors';

/**
 * Inspects a zip container (an .xlsx) before anything parses it: the number of entries, each entry's and the total
 * uncompressed size and the compression ratio, first as the central directory declares them, then by inflating every
 * entry and counting its bytes (discarded as they come), so a directory that lies is caught too. Refuses with a 413
 * (or a 400 for a file that is no zip) naming `field`. Meant to run in the parse worker.
 */
export async function inspectZip(bytes: Buffer, limits: ZipLimits, field = 'file'): Promise<{ entries: number; totalBytes: number }> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err ? reject(unreadable(field, err)) : resolve(z))),
  );
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw uploadTooLarge(field, 'ZIP_TOO_MANY_ENTRIES', `holds ${zip.entryCount} files inside; at most ${limits.maxEntries} are accepted`, { count: zip.entryCount, limit: limits.maxEntries });
  }
  let declaredTotal = 0;
  let inflatedTotal = 0;
  let compressedTotal = 0;
  const tooLarge = (name: string) => uploadTooLarge(field, 'ZIP_ENTRY_TOO_LARGE', `holds "${name}" larger than ${mb(limits.maxEntryBytes)} MB once unpacked`, { name, limitMb: mb(limits.maxEntryBytes) });
  const totalTooLarge = () => uploadTooLarge(field, 'ZIP_TOO_LARGE', `unpacks to more than ${mb(limits.maxTotalBytes)} MB`, { limitMb: mb(limits.maxTotalBytes) });
  const ratioTooHigh = (name: string) =>
    uploadTooLarge(field, 'ZIP_RATIO_TOO_HIGH', `holds "${name}" compressed more than ${limits.maxRatio} times: refused as a possible zip bomb`, { name, limit: limits.maxRatio });

  await new Promise<void>((resolve, reject) => {
    const fail = (e: unknown) => {
      zip.close();
      reject(e);
    };
    zip.on('error', (e: Error) => fail(unreadable(field, e)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName.slice(0, 200);
      if (entry.uncompressedSize > limits.maxEntryBytes) return fail(tooLarge(name));
      declaredTotal += entry.uncompressedSize;
      compressedTotal += entry.compressedSize;
      if (declaredTotal > limits.maxTotalBytes) return fail(totalTooLarge());
      if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) return fail(ratioTooHigh(name));
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return fail(unreadable(field, err));
        let inflated = 0;
        stream.on('data', (chunk: Buffer) => {
          inflated += chunk.length;
          inflatedTotal += chunk.length;
          if (inflated > limits.maxEntryBytes || inflated > entry.uncompressedSize) {
            stream.destroy();
            fail(inflated > limits.maxEntryBytes ? tooLarge(name) : unreadable(field, new Error(`"${name}" unpacks to more than it declares`)));
          } else if (inflatedTotal > limits.maxTotalBytes) {
            stream.destroy();
            fail(totalTooLarge());
          }
        });
        stream.on('error', (e: Error) => fail(unreadable(field, e)));
        stream.on('end', () => zip.readEntry());
      });
    });
    zip.readEntry();
  });
  if (inflatedTotal > limits.ratioFloorBytes && inflatedTotal / Math.max(1, compressedTotal) > limits.maxRatio) throw ratioTooHigh('*');
  return { entries: zip.entryCount, totalBytes: inflatedTotal };
}

function unreadable(field: string, err: Error): Error {
  return uploadInvalid(field, 'ZIP_UNREADABLE', `is not a readable Excel (.xlsx) workbook (${err.message.slice(0, 200)})`);
}
