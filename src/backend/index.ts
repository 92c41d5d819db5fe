// The backend's public entry: the only module src/extension imports from src/backend.
export * from './types';
export * from './config';
export * from './protocol';
export * from './metrics';
export * from './alerts/types';
