// How often a repeated complaint is logged: the 1st, 10th, 100th… time, so a peer that floods
// Vitals with bad messages cannot fill the log, while the count still shows how bad it is.

export function isLogWorthy(count: number): boolean {
  return Number.isInteger(Math.log10(count));
}
