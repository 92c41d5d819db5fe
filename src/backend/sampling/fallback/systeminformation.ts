// systeminformation, loaded the first time a fallback sampler asks for it: on Linux the /proc
// samplers run and the library (~40 ms of CPU and ~2 MB of heap to load) never is.
import type * as Si from 'systeminformation';

let loading: Promise<typeof Si> | undefined;

export function systeminformation(): Promise<typeof Si> {
  return (loading ??= import('systeminformation'));
}
