// Placeholder: the headless CLI lands with the backend core.
console.error('vitals: not built yet');
process.exitCode = 1;
