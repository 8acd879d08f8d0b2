import { Inject, Injectable } from '@nestjs/common';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/app-config';

/**
 * Where an exercise's images and audio live: `${DATA_DIR}/labelling/<exerciseId>/<name>` on local disk.
 * Kept behind this small class (there is no shared storage service yet) so it can move to object storage later.
 */
@Injectable()
export class LabellingMediaStore {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = join(config.dataDir, 'labelling');
  }

  /** A file name we accept: no path separators, no dot-files, at most 191 characters. */
  static isSafeName(name: string): boolean {
    return name.length > 0 && name.length <= 191 && !/[/\\]/.test(name) && !name.includes(String.fromCharCode(0)) && !name.startsWith('.');
  }

  path(exerciseId: number, name: string): string {
    if (!LabellingMediaStore.isSafeName(name)) throw new Error(`unsafe media name ${name}`);
    return join(this.root, String(exerciseId), name);
  }

  exists(exerciseId: number, name: string): boolean {
    return LabellingMediaStore.isSafeName(name) && existsSync(this.path(exerciseId, name));
  }

  /** Writes through a temporary name and a rename, so a reader never sees half a file. */
  async put(exerciseId: number, name: string, bytes: Buffer): Promise<void> {
    const target = this.path(exerciseId, name);
    await mkdir(join(this.root, String(exerciseId)), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.part`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  }

  async remove(exerciseId: number, name: string): Promise<void> {
    await rm(this.path(exerciseId, name), { force: true });
  }
}
