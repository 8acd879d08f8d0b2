export type ComponentStatus = 'up' | 'down' | 'not-configured';

export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: { status: ComponentStatus; driver: 'mysql' | 'sqlite' };
  redis: { status: ComponentStatus };
  queue: { driver: 'bull' | 'in-process' };
  version: string;
}
