export { type QueueProbeResult, queueProbe } from './queue-probe.js';
