/**
 * The models of model-check/ and what each must give ({@link dev.mmucheck.modelcheck.Manifest}),
 * and the check that runs TLC on each and compares ({@link dev.mmucheck.modelcheck.Checker}).
 */
package dev.mmucheck.modelcheck;
