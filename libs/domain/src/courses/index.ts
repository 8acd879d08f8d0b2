export * from './training-hours';
export * from './lesson-completion';
export * from './course-progress';
export * from './eligibility';
