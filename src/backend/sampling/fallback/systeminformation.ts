// systeminformation, loaded the first time a fallback sampler asks for it: on Linux the /proc
// samplers run and the library (~40 ms of CPU and ~2 MB of heap to load) never is.
let loading: Promise<typeof import('systeminformation')> | undefined;

export function systeminformation(): Promise<typeof import('systeminformation')> {
  return (loading ??= import('systeminformation'));
}
