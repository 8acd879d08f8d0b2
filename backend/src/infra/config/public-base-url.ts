import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { AppConfig } from './app-config';

/**
 * PUBLIC_BASE_URL is signed into every certificate (issuer, keys, status lists): left unset, it follows the port
 * actually listened on (PORT=0 picks a free one); in a MySQL deployment a localhost value is almost surely a mistake.
 */
export function followListenedPort(config: AppConfig, server: Server, logger: Pick<Logger, 'warn'> = new Logger('Config')): void {
  const address = server.address();
  if (config.publicBaseUrlDefaulted && address && typeof address === 'object') config.publicBaseUrl = `http://localhost:${address.port}`;
  const host = new URL(config.publicBaseUrl).hostname;
  if (config.database.kind === 'mysql' && (host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]')) {
    logger.warn(
      `PUBLIC_BASE_URL is ${config.publicBaseUrl}: certificates signed now carry this address for the issuer, its keys and the status lists, ` +
        'which nobody else can reach. Set PUBLIC_BASE_URL to the public https origin before issuing certificates.',
    );
  }
}
