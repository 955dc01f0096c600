package dev.mmucheck.machine;

import dev.mmucheck.scheduling.LockstepScheduler;

/**
 * A {@link Machine} whose threads run under a {@link LockstepScheduler}, with a
 * {@link PropertyChecker} watching it; started and settled (every process at its first label).
 * Closing it aborts the scheduler, so no thread outlives the run.
 */
public record LockstepRun(Machine machine, PropertyChecker checker, LockstepScheduler scheduler) implements AutoCloseable {

    /** How long one step may take before the scheduler calls the process stuck. */
    public static final long STEP_TIMEOUT_MILLIS = 10_000;

    public static LockstepRun start(MachineConfig config, Machine.RangeChooser chooser) throws InterruptedException {
        return start(config, chooser, dev.mmucheck.driver.GpuDevice.FenceChooser.OLDEST);
    }

    /** {@link #start(MachineConfig, Machine.RangeChooser)}, each GPU completing the pending fence {@code fences} picks. */
    public static LockstepRun start(MachineConfig config, Machine.RangeChooser chooser, dev.mmucheck.driver.GpuDevice.FenceChooser fences)
            throws InterruptedException {
        return start(config, chooser, fences, ThreadSource.FRESH);
    }

    /** {@link #start(MachineConfig, Machine.RangeChooser, dev.mmucheck.driver.GpuDevice.FenceChooser)} on threads from {@code threads}. */
    public static LockstepRun start(MachineConfig config, Machine.RangeChooser chooser, dev.mmucheck.driver.GpuDevice.FenceChooser fences,
                                    ThreadSource threads) throws InterruptedException {
        PropertyChecker checker = new PropertyChecker();
        Machine m = new Machine(config, checker);
        checker.attach(m);
        LockstepScheduler s = new LockstepScheduler(STEP_TIMEOUT_MILLIS);
        LockstepRun run = new LockstepRun(m, checker, s);
        try {
            m.start(s, chooser, fences, threads);
            s.awaitAllSettled();
        } catch (InterruptedException | RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    @Override
    public void close() { scheduler.abort(); }
}
