import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { FileStorage } from './file-storage';
import { LocalDiskStorage } from './local-disk-storage';

/** The file storage every context uses; local disk by default (STORAGE_DIR). Another driver (S3, OSS) would slot in here. */
@Global()
@Module({
  providers: [{ provide: FileStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskStorage(config.storageDir) }],
  exports: [FileStorage],
})
export class StorageModule {}
