/**
 * CPU time of another process, read from outside: user + system over all its threads
 * (`/proc/PID/stat` fields 14 and 15, in the kernel's clock ticks). With other work on the machine it
 * moves far less than wall-clock rates do (issue 14: the API server's CPU per request).
 */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat. */
const CLOCK_TICKS_PER_S = 100;

/** User + system CPU seconds of process `pid` so far, every thread (10 ms resolution). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}
