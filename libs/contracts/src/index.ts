export * from './identity';
export * from './errors';
export * from './health';
export * from './prompts';
