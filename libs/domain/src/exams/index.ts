export * from './seeded-random';
export * from './paper';
export * from './deadline';
export * from './objective-scoring';
export * from './item-analysis';
export * from './question-content';
export * from './question-import';
export * from './bank-csv';
