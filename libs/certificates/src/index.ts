export * from './levels';
export * from './skill-certificate-number';
export * from './enterprise-certificate-number';
export * from './credential';
export * from './vc-jwt';
export * from './status-list';
export * from './offline-verification';
export * from './data-integrity';
