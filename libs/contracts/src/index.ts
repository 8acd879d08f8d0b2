export * from './identity';
export * from './errors';
export * from './health';
export * from './labelling';
export * from './courses';
export * from './prompts';
export * from './queues';
export * from './exams';
