/**
 * The driver side: a multi-GPU driver that uses two-pass interval notifiers, after xe's userptr
 * code (drivers/gpu/drm/xe/xe_userptr.c with the series) and, as a variant, test_hmm's trylock
 * locking (lib/test_hmm.c). One {@link dev.mmucheck.driver.GpuVm} per GPU, each with its own
 * user lock; {@link dev.mmucheck.driver.GpuDevice} has the device page table, the TLB and the
 * asynchronous TLB invalidation that only the GPU's own thread completes; the fault path is
 * {@link dev.mmucheck.driver.GpuVm#fault}.
 */
package dev.mmucheck.driver;
