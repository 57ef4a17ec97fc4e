export * from './plan';
export * from './keys';
export * from './remote';
export * from './touch';
