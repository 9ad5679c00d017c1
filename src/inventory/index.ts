// The inventory of all state: what an app or a set of manifests keeps, read from synthesized objects.
export * from './inventory-document';
export * from './inventory';
