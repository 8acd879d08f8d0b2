export * from './identity/resident-id';
export * from './identity/credit-code';
export * from './identity/id-document';
export * from './identity/mask';
export * from './identity/password-policy';
export * from './courses';
export * from './prompts/prompt-grading';
