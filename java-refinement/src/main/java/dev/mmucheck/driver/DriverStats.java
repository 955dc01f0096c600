package dev.mmucheck.driver;

import java.util.concurrent.atomic.AtomicLong;

/** Counters a driver instance keeps, for the stress test's figures. */
public final class DriverStats {
    final AtomicLong callbacks = new AtomicLong();
    final AtomicLong refusals = new AtomicLong();
    final AtomicLong finishesHandedOut = new AtomicLong();
    final AtomicLong finishFallbacks = new AtomicLong();
    final AtomicLong finishesThatWaited = new AtomicLong();
    final AtomicLong faults = new AtomicLong();
    final AtomicLong retries = new AtomicLong();

    public long callbacks() { return callbacks.get(); }
    /** callbacks that returned false (non-blockable, would sleep) */
    public long refusals() { return refusals.get(); }
    public long finishesHandedOut() { return finishesHandedOut.get(); }
    /** two-pass starts that found the finish in use and waited inline instead */
    public long finishFallbacks() { return finishFallbacks.get(); }
    /** finishes that found the TLB invalidation still running and waited for it */
    public long finishesThatWaited() { return finishesThatWaited.get(); }
    public long faults() { return faults.get(); }
    /** read_retry said the read section collided with an invalidation */
    public long retries() { return retries.get(); }
}
