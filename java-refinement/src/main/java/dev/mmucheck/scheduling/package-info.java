/**
 * Scheduling points: the labels of specs/CONTRACT.md ({@link dev.mmucheck.scheduling.Label}),
 * the per-machine {@link dev.mmucheck.scheduling.Sched} the code calls at each of them and at
 * every wait, wait queues and locks that report their waits, the holders of the fields a lock
 * protects ({@link dev.mmucheck.scheduling.Guarded} and its kin: lockdep at every access), and the schedulers: none (free
 * running), {@link dev.mmucheck.scheduling.LockstepScheduler} (one process at a time, label to
 * label) and {@link dev.mmucheck.scheduling.JitterScheduler} (random preemption, for stress).
 */
package dev.mmucheck.scheduling;
