import { Global, Module } from '@nestjs/common';
import { UploadParser } from './upload-parser';

/** The parse workers for uploaded files, one pool per process. */
@Global()
@Module({ providers: [UploadParser], exports: [UploadParser] })
export class UploadsModule {}
