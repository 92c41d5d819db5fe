// vitals.alerts.* for the alert tests (integration and e2e): the process rule at a threshold a
// spinning Node reaches even on a loaded machine (with a load of 17 on 2 cores it got 23% of a core),
// after a few seconds; the other rules off, so a busy or full machine adds no alerts of its own; a
// short end delay so a snooze or a kill shows soon. Other busy processes may raise alerts too: the
// tests find theirs by pid.
export const ALERT_TEST_SETTINGS: Record<string, unknown> = {
  'vitals.alerts.enabled': true,
  'vitals.alerts.endAfterSeconds': 4,
  'vitals.alerts.processCpu.enabled': true,
  'vitals.alerts.processCpu.percent': 10,
  'vitals.alerts.processCpu.seconds': 6,
  'vitals.alerts.machineCpu.enabled': false,
  'vitals.alerts.lowMemory.enabled': false,
  'vitals.alerts.leak.enabled': false,
  'vitals.alerts.filesystem.enabled': false,
};
