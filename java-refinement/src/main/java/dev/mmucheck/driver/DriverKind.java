package dev.mmucheck.driver;

/**
 * The spec's {@code Driver} constant (GpuDriver.tla): how invalidate_start behaves when the range is
 * not blockable, and for xe, what the VM's dma-resv holds and whether the inject path is built.
 */
public enum DriverKind {
    /** xe_vma_userptr_invalidate_start: {@code if (!mmu_notifier_range_blockable(range)) return false;}; the VM's fences always signalled */
    XE("xe"),
    /** xe whose fault path's binds add a bind job's fence to the VM's dma-resv */
    XE_FENCES("xe-fences"),
    /** xe-fences built with CONFIG_DRM_XE_USERPTR_INVAL_INJECT (xe_vma_userptr_force_invalidate as merged) */
    XE_INJECT("xe-inject"),
    /** xe-inject with the fix: force_invalidate dispatches on tlb_inval_submitted as invalidate_finish does */
    XE_INJECT_FIXED("xe-inject-fixed"),
    /** test_hmm's locking: mutex_trylock when not blockable, return false if it fails */
    TRYLOCK("trylock");

    private final String specName;

    DriverKind(String specName) { this.specName = specName; }

    /** The spec's name of this driver (the value of {@code Driver[g]}). */
    public String specName() { return specName; }

    /** The driver named {@code s} in the spec, if any. */
    public static java.util.Optional<DriverKind> bySpecName(String s) {
        return java.util.Arrays.stream(values()).filter(k -> k.specName.equals(s)).findFirst();
    }

    /** One of the xe forms (GpuDriver.tla's IsXe). */
    public boolean isXe() { return this != TRYLOCK; }

    /** The fault path's bind adds a fence to the VM's dma-resv (BindFences). */
    public boolean bindFences() { return this == XE_FENCES || this == XE_INJECT || this == XE_INJECT_FIXED; }

    /** CONFIG_DRM_XE_USERPTR_INVAL_INJECT (Inject). */
    public boolean inject() { return this == XE_INJECT || this == XE_INJECT_FIXED; }

    /** The inject path with the fix (InjectFixed). */
    public boolean injectFixed() { return this == XE_INJECT_FIXED; }
}
