/** The API is served by the same origin as the portal. */
export const API_V1 = '/api/v1';
export const HEALTH_URL = '/api/health';
