import { join } from 'node:path';
import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../infra/config/config.module';
import type { AppConfig } from '../../infra/config/app-config';
import { SigningKeyStore } from './signing-key-store';

/** Private keys under DATA_DIR/keys, encrypted with DATA_ENCRYPTION_KEY (signing processes share the volume). */
export const signingKeyStoreProvider: Provider = {
  provide: SigningKeyStore,
  inject: [DataSource, APP_CONFIG],
  useFactory: (dataSource: DataSource, config: AppConfig) =>
    new SigningKeyStore(dataSource, join(config.dataDir, 'keys'), config.dataEncryptionKey, { baseUrl: () => config.publicBaseUrl, jwtAlgorithm: config.certificateJwtAlgorithm }),
};
