/** The cleanups an interrupted command still owes (temp files, containers), for the signal handlers. */
export { runCleanups } from '../io/cleanup.js';
