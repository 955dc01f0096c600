/**
 * Trace refinement: drive the Java machine along a TLC behaviour, one labelled step at a time,
 * and compare the abstraction of the Java state with TLC's state after every step.
 * {@link dev.mmucheck.refinement.Abstraction} maps Java state to the spec's variables,
 * {@link dev.mmucheck.refinement.TraceReplay} replays an ITF trace and reports the first
 * divergence (a step the Java thread cannot take, or a variable that differs).
 * {@link dev.mmucheck.refinement.GraphRefinement} checks both ways at every state along paths that
 * cover TLC's whole state graph, or along random behaviours TLC walked ({@link dev.mmucheck.refinement.RandomWalks}).
 */
package dev.mmucheck.refinement;
