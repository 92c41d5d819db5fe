// Placeholder: the worker entry that serves the protocol lands with the Monitor.
export {};
