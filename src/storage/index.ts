export * from './access-mode';
export * from './provisioner';
export * from './storage-class-ref';
export * from './claim-data-source';
export * from './claim-options';
export * from './volume-snapshot-class-ref';
