import { createReadStream } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FileStorage } from './file-storage';

const KEY = /^[0-9a-f]{2}\/[0-9a-f-]{36}(\.[a-z0-9]{1,10})?$/;

/**
 * Files on the local disk under STORAGE_DIR (default DATA_DIR/files), two-level fan-out by key prefix.
 * Writes go to a temporary name first, so a crash never leaves half a file under a real key.
 * Several API processes need a shared directory (NFS or a mounted volume) for this driver.
 */
export class LocalDiskStorage extends FileStorage {
  constructor(private readonly root: string) {
    super();
  }

  async put(content: Buffer, hint: { extension?: string }): Promise<string> {
    const ext = hint.extension && /^[a-z0-9]{1,10}$/.test(hint.extension.toLowerCase()) ? `.${hint.extension.toLowerCase()}` : '';
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}${ext}`;
    const path = this.pathOf(key);
    await mkdir(join(this.root, id.slice(0, 2)), { recursive: true });
    const temp = `${path}.part`;
    await writeFile(temp, content, { mode: 0o640 });
    await rename(temp, path);
    return key;
  }

  async open(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await access(path);
    return createReadStream(path);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Only keys this class generated are accepted: no path can escape the root. */
  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a storage key: ${key}`);
    return join(this.root, key);
  }
}
