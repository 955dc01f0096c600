package dev.mmucheck.explain;

import static dev.mmucheck.explain.TraceView.mv;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.Labels;

/**
 * The culprit finders, one per property of specs/MmuProperties.tla, keyed by the property's name:
 * each reads the violating state (for an action property the last step, for a liveness property
 * the loop) and says which process, GPU, page or notifier makes the property false, and the steps
 * that made it so. A property without a finder gets {@link #generic}: the variables its last step
 * changed. A finder that finds nothing (the trace does not break the property as the finder reads
 * it) also falls back to the generic one, and says so.
 */
public final class CulpritFinders {
    private CulpritFinders() {}

    interface Finder {
        Optional<Culprit> find(TraceView t, ModelConstants c);
    }

    private static final Set<String> CALLBACK = Set.of("inv_cb_start", "inv_cb_zap", "inv_cb_set_seq", "inv_cb_wait");
    private static final Set<String> SLEEP = Set.of("inv_cb_wait", "inv_fin_lock", "inv_fin_wait", "inv_fin_sync");

    private static final Map<String, Finder> FINDERS = Map.ofEntries(
            Map.entry("NoStaleDeviceAccess", CulpritFinders::staleDeviceAccess),
            Map.entry("NoDmaToStalePage", CulpritFinders::dmaToStalePage),
            Map.entry("NoSleepInNonBlockable", CulpritFinders::sleepInNonBlockable),
            Map.entry("FinishBeforeReturn", CulpritFinders::finishBeforeReturn),
            Map.entry("FinishSlotIntegrity", CulpritFinders::finishSlotIntegrity),
            Map.entry("EagainContract", CulpritFinders::eagainContract),
            Map.entry("ActiveCountsRanges", CulpritFinders::activeCountsRanges),
            Map.entry("OddSeqHasWriter", CulpritFinders::oddSeqHasWriter),
            Map.entry("NotifierSeqOdd", CulpritFinders::notifierSeqOdd),
            Map.entry("NoNullFinishCall", CulpritFinders::noNullFinishCall),
            Map.entry("RemovedIsQuiet", CulpritFinders::removedIsQuiet),
            Map.entry("TreeFrozenWhileInvalidating", CulpritFinders::treeFrozen),
            Map.entry("FinishSlotUnderUserLock", CulpritFinders::finishSlotUnderUserLock),
            Map.entry("FinishSlotsFreed", CulpritFinders::finishSlotsFreed),
            Map.entry("NoTranslationAfterRemove", CulpritFinders::translationAfterRemove),
            Map.entry("InvalidationsReturn", (t, c) -> neverReaches(t, "InvalidationsReturn", "irange", "done", "invalidator")),
            Map.entry("ReadersInstall", (t, c) -> neverReaches(t, "ReadersInstall", "rseq", "done", "reader")),
            Map.entry("RemoveReturns", (t, c) -> neverReaches(t, "RemoveReturns", "rmseq", "removed", "remove")),
            Map.entry("XeAssert_DeferredInval", (t, c) -> xeAssert(t, "XeAssert_DeferredInval",
                    "xe_vma_userptr_do_inval: xe_assert(finish_inuse && !tlb_inval_submitted)")),
            Map.entry("XeAssert_SubmitFree", (t, c) -> xeAssert(t, "XeAssert_SubmitFree",
                    "xe_vma_userptr_do_inval: xe_assert(!tlb_inval_submitted)")),
            Map.entry("Deadlock", CulpritFinders::deadlock));

    // ---------------------------------------------------------------- XeAssert_*

    /** An xe_assert() fired: the step that added its site to warn, and the userptr state it saw. */
    private static Optional<Culprit> xeAssert(TraceView t, String property, String site) {
        for (int k = 1; k <= t.last(); k++) {
            if (!(t.at(k, "warn") instanceof TlaValue.SetV w) || !w.elements().contains(new TlaValue.Str(site))) continue;
            List<Evidence> ev = new ArrayList<>(List.of(Evidence.of(t, k, "warn")));
            TlaValue n = t.stepValue(k, "notifier");
            if (n instanceof TlaValue.ModelValue) {
                ev.add(Evidence.of(t, k - 1, "finuse", n));
                ev.add(Evidence.of(t, k - 1, "tlbsub", n));
            }
            List<String> story = List.of(t.stepRef(k) + ": " + t.step(k, "proc") + "'s " + t.step(k, "label")
                    + " ran the assert with finish_inuse and tlb_inval_submitted as listed, and it fired");
            return Optional.of(new Culprit(property, t.stepRef(k) + ": " + t.step(k, "proc") + "'s " + t.step(k, "label")
                    + " fired " + site, ev, story, false));
        }
        return Optional.empty();
    }

    /** The properties that have a finder of their own. */
    public static Set<String> known() { return FINDERS.keySet(); }

    /** The culprit of {@code property} in trace {@code t}. */
    public static Culprit find(String property, TraceView t, ModelConstants c) {
        Finder f = FINDERS.get(property);
        if (f != null) {
            Optional<Culprit> found = f.find(t, c);
            if (found.isPresent()) return found.get();
            return generic(property, t, "the finder of " + property + " found no process, GPU, page or notifier that breaks it here");
        }
        return generic(property, t, "no culprit finder knows " + property);
    }

    /** The fallback: the variables the last step changed, each with its value. */
    static Culprit generic(String property, TraceView t, String why) {
        int k = t.last();
        List<Evidence> ev = new ArrayList<>();
        for (Map.Entry<String, List<List<TlaValue>>> e : t.changes(k).entrySet())
            for (List<TlaValue> keys : e.getValue())
                if (t.at(k, e.getKey(), keys) != null) ev.add(Evidence.of(t, k, e.getKey(), keys.toArray(TlaValue[]::new)));
        return new Culprit(property, why + "; " + (k == 0 ? "the initial state breaks it"
                : "the last step, " + t.stepRef(k) + ", changed what is listed"), ev,
                k == 0 ? List.of("the initial state") : List.of(t.stepRef(k) + ": " + what(t.step(k, "label"))), true);
    }

    private static String pl(TlaValue v) { return ModelConstants.plain(v); }
    private static long num(TlaValue v) { return v instanceof TlaValue.Int i ? i.value().longValue() : -1; }
    private static String label(TraceView t, int k, String p) { return pl(t.at(k, "pc", mv(p))); }
    private static String what(String label) { return Labels.describe(label); }

    // ---------------------------------------------------------------- NoStaleDeviceAccess

    private static Optional<Culprit> staleDeviceAccess(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue g : t.domain("dpte")) {
            for (TlaValue p : t.domain("pte")) {
                long cpu = num(t.at(k, "pte", p));
                for (String var : List.of("tlb", "dpte")) {
                    long v = num(t.at(k, var, g, p));
                    if (v == 0 || v == cpu) continue;
                    return Optional.of(stale(t, c, "NoStaleDeviceAccess", var, g, p, v, cpu));
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- NoDmaToStalePage

    private static Optional<Culprit> dmaToStalePage(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue g : t.domain("iommu")) {
            for (TlaValue p : t.domain("pte")) {
                long cpu = num(t.at(k, "pte", p));
                long v = num(t.at(k, "iommu", g, p));
                if (v != 0 && v != cpu) return Optional.of(stale(t, c, "NoDmaToStalePage", "iommu", g, p, v, cpu));
            }
        }
        return Optional.empty();
    }

    private static Culprit stale(TraceView t, ModelConstants c, String property, String var, TlaValue g, TlaValue p, long v, long cpu) {
        int k = t.last();
        List<Evidence> ev = new ArrayList<>();
        Evidence held = Evidence.of(t, k, var, g, p);
        Evidence pte = Evidence.of(t, k, "pte", p);
        ev.add(held);
        ev.add(pte);
        if (var.equals("tlb") && num(t.at(k, "dpte", g, p)) != 0) ev.add(Evidence.of(t, k, "dpte", g, p));
        List<String> story = new ArrayList<>();
        int installed = held.since(), changed = pte.since();
        String gs = pl(g), ps = pl(p);
        String installer = installed == 0 ? "nobody" : t.step(installed, "proc");
        String n = installed == 0 ? "?" : t.step(installed, "notifier");
        String changer = changed == 0 ? "nobody" : t.step(changed, "proc");
        String what = switch (var) {
            case "tlb" -> "TLB entry";
            case "iommu" -> "IOMMU (DMA) mapping";
            default -> "device PTE";
        };
        String summary = gs + " holds a stale translation of page " + ps + ": its " + what
                + " was made from CPU PTE version " + v + ", the CPU PTE is version " + cpu + " (installed by " + installer
                + (n.equals("?") ? "" : " through " + n) + ", the PTE changed by " + changer + ")";
        if (installed > 0) {
            story.add(t.stepRef(installed) + ": " + installer + " installed the translation of page " + ps + " on " + gs
                    + " from CPU PTE version " + v);
            readerStory(t, installed, installer, n, ev, story);
        }
        if (changed > 0) {
            story.add(t.stepRef(changed) + ": " + changer + " changed the CPU PTE of page " + ps + " to version " + cpu
                    + (installed < changed ? ", after the install" : ", before the install"));
            invalidationStory(t, c, changed, changer, g, p, ev, story);
        }
        return new Culprit(property, summary, ev, story, false);
    }

    /** How reader r's fault path came to install at step k: its read_begin, its PTE read, its read_retry. */
    private static void readerStory(TraceView t, int k, String r, String n, List<Evidence> ev, List<String> story) {
        if (t.at(k, "rseq", mv(r)) == null) return;
        int begin = t.lastStep(k, r, null, "read_begin");
        int read = t.lastStep(k, r, null, "read_pte");
        if (begin > 0) {
            ev.add(Evidence.of(t, begin, "rseq", mv(r)));
            story.add(t.stepRef(begin) + ": mmu_interval_read_begin sampled " + n + "'s invalidate_seq = " + pl(t.at(begin, "rseq", mv(r)))
                    + " (invalidate_seq was " + pl(t.at(begin, "seq")) + ")");
        }
        if (read > 0) story.add(t.stepRef(read) + ": hmm_range_fault read the CPU PTE, version " + pl(t.at(read, "rval", mv(r))));
        int retry = t.lastStep(k, r, null, "read_retry");
        if (retry > 0 && t.at(retry - 1, "iseq", mv(n)) != null) {
            ev.add(Evidence.of(t, retry - 1, "iseq", mv(n)));
            TlaValue now = t.at(retry - 1, "iseq", mv(n)), then = t.at(retry - 1, "rseq", mv(r));
            story.add(t.stepRef(retry) + ": mmu_interval_read_retry found " + n + "'s invalidate_seq = " + pl(now)
                    + (now.equals(then) ? ", the value read_begin returned: no collision seen, so it installed"
                            : ", not the value read_begin returned (" + pl(then) + "), yet it installed")
                    + (t.step(k, "label").equals("read_install") ? "; the install itself came at " + t.stepRef(k) + ", after the user lock was dropped" : ""));
        }
    }

    /** What invalidator i did on GPU g before its PTE change at step m: the callbacks, set_seq, and the TLB invalidation left pending. */
    private static void invalidationStory(TraceView t, ModelConstants c, int m, String i, TlaValue g, TlaValue p,
                                          List<Evidence> ev, List<String> story) {
        if (t.at(m - 1, "fences", g) == null) return;
        boolean any = false;
        for (int j = 1; j < m; j++) {
            if (!t.step(j, "proc").equals(i) || !t.step(j, "label").equals("inv_cb_zap")) continue;
            if (t.lastStep(m, i, null, "inv_start_range") > j) continue;   // an earlier invalidation of i
            String n = t.step(j, "notifier");
            TlaValue fence = fence(n, i);
            if (!contains(t.at(j, "fences", g), fence)) continue;          // a notifier of another GPU
            any = true;
            TlaValue before = t.at(j - 1, "iseq", mv(n)), after = t.at(j, "iseq", mv(n)), cur = t.at(j - 1, "cur", mv(i));
            String seqText = !java.util.Objects.equals(before, after)
                    ? "; mmu_interval_set_seq set " + n + "'s invalidate_seq from " + pl(before) + " to " + pl(after)
                    : java.util.Objects.equals(after, cur)
                    ? "; " + n + "'s invalidate_seq stayed " + pl(after) + ": cur_seq is " + pl(cur)
                            + ", the value it already had (invalidate_seq wrapped round)"
                    : "; mmu_interval_set_seq was not called: " + n + "'s invalidate_seq stayed " + pl(after) + " while cur_seq is " + pl(cur);
            TlaValue dBefore = t.at(j - 1, "dpte", g, p), dAfter = t.at(j, "dpte", g, p);
            String zap = num(dBefore) != 0 && dBefore.equals(dAfter)
                    ? " did not zap " + pl(g) + "'s device PTE of page " + pl(p) + " (it stayed " + KernelWords.value("dpte", dAfter) + ")"
                    : " zapped " + pl(g) + "'s device PTEs of " + n;
            if (num(dBefore) != 0 && dBefore.equals(dAfter)) ev.add(Evidence.of(t, j, "dpte", g, p));
            story.add(t.stepRef(j) + ": " + i + "'s callback for " + n + zap + " and submitted its TLB invalidation" + seqText);
            if (java.util.Objects.equals(before, after)) ev.add(Evidence.of(t, j, "iseq", mv(n)));
            if (contains(t.at(m - 1, "fences", g), fence)) {
                ev.add(Evidence.of(t, m - 1, "fences", g));
                int fin = t.lastStep(m, i, n, "inv_fin_wait", "inv_cb_wait");
                story.add(t.stepRef(m) + ": when the CPU PTE changed, " + n + "'s TLB invalidation submitted by " + i + " was still pending on " + pl(g)
                        + ": nothing waited for it" + (fin > 0 ? "; " + t.stepRef(fin) + " returned without waiting for it ("
                        + (t.step(fin, "label").equals("inv_fin_wait") ? "invalidate_finish" : "the inline wait") + ")"
                        : "; no finish or inline wait of " + i + " for " + n + " ran"));
            }
        }
        if (!any) story.add("no callback of " + i + "'s invalidation submitted a TLB invalidation on " + pl(g) + " covering page " + pl(p));
        tornWalkStory(t, c, m, i, g, p, ev, story);
    }

    /**
     * If a tree change tore i's walk (torn[i] set) before step m and the torn walk's next step
     * left out a notifier that maps page p on g: the change, where the walk went, and what it skipped.
     */
    private static void tornWalkStory(TraceView t, ModelConstants c, int m, String i, TlaValue g, TlaValue p,
                                      List<Evidence> ev, List<String> story) {
        int start = t.lastStep(m, i, null, "inv_start_range");
        if (start < 1 || t.at(start, "torn", mv(i)) == null) return;      // a trace without torn
        for (int j = start + 1; j < m; j++) {
            if (!Boolean.TRUE.equals(bool(t.at(j, "torn", mv(i)))) || Boolean.TRUE.equals(bool(t.at(j - 1, "torn", mv(i))))) continue;
            String at = pl(t.at(j, "cursor", mv(i)));
            ev.add(Evidence.of(t, j, "torn", mv(i)));
            story.add(t.stepRef(j) + ": " + t.step(j, "proc") + " changed the interval tree (" + pl(t.at(j - 1, "tree")) + " -> "
                    + pl(t.at(j, "tree")) + ") while " + i + "'s walk had " + at + " in hand: the walk is torn");
            for (int r = j + 1; r < m; r++) {
                if (Boolean.TRUE.equals(bool(t.at(r, "torn", mv(i))))) continue;
                String to = pl(t.at(r, "cursor", mv(i)));
                List<String> skipped = new ArrayList<>();
                if (t.at(r - 1, "tree") instanceof TlaValue.SetV tree) {
                    for (TlaValue n : tree.elements()) {
                        String ns = pl(n);
                        if (ns.equals(at) || ns.equals(to) || !gpuOf(t, c, ns).equals(pl(g))) continue;
                        boolean maps = c.apply("NotifierPages", ns).map(v -> v instanceof TlaValue.SetV s && s.elements().contains(p)).orElse(false);
                        if (maps && t.lastStep(m, i, ns, "inv_cb_start") < start) skipped.add(ns);
                    }
                }
                ev.add(Evidence.of(t, r, "cursor", mv(i)));
                story.add(t.stepRef(r) + ": " + i + "'s mn_itree_inv_next from " + at + " lost its place and went "
                        + (to.equals("NoNotifier") ? "to the end of the walk" : "on at " + to)
                        + (skipped.isEmpty() ? "" : ", skipping " + String.join(", ", skipped) + " (in the tree, mapping page " + pl(p)
                        + " on " + pl(g) + "): its callback never ran, so nothing zapped or invalidated that translation"));
                break;
            }
        }
    }

    private static TlaValue fence(String n, String by) {
        java.util.LinkedHashMap<String, TlaValue> f = new java.util.LinkedHashMap<>();
        f.put("n", mv(n));
        f.put("by", mv(by));
        return new TlaValue.RecordV(f);
    }

    private static boolean contains(TlaValue set, TlaValue x) {
        return set instanceof TlaValue.SetV s && s.elements().contains(x);
    }

    // ---------------------------------------------------------------- NoSleepInNonBlockable

    private static Optional<Culprit> sleepInNonBlockable(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue iv : t.domain("irange")) {
            String i = pl(iv);
            if (c.in("Blockable", i).orElse(false) || c.in("Releasers", i).orElse(false)) continue;
            String pc = label(t, k, i);
            boolean zapXe = pc.equals("inv_cb_zap") && c.apply("Driver", gpuOf(t, c, pl(t.at(k, "cursor", iv)))).map(ModelConstants::plain)
                    .orElse("?").startsWith("xe");
            if (!SLEEP.contains(pc) && !zapXe) continue;
            List<Evidence> ev = new ArrayList<>();
            Evidence at = Evidence.of(t, k, "pc", iv);
            ev.add(at);
            List<String> story = new ArrayList<>();
            String n;
            if (pc.startsWith("inv_fin")) {
                TlaValue fl = t.at(k, "flist", iv);
                ev.add(Evidence.of(t, k, "flist", iv));
                n = fl instanceof TlaValue.SeqV s && !s.elements().isEmpty() ? pl(s.elements().get(0)) : "?";
            } else {
                ev.add(Evidence.of(t, k, "cursor", iv));
                n = pl(t.at(k, "cursor", iv));
            }
            String g = gpuOf(t, c, n);
            String drv = c.apply("Driver", g).map(ModelConstants::plain).orElse("unknown");
            story.add(i + " is not blockable (not in Blockable" + (c.known("Blockable") ? " = " + c.members("Blockable") : "")
                    + "): the OOM reaper's mmu_notifier_invalidate_range_start_nonblock, which must not sleep");
            String why = switch (pc) {
                case "inv_fin_lock" -> "the finish pass is about to call " + n + "'s invalidate_finish, which takes " + g
                        + "'s user lock and waits for the TLB invalidation: both sleep";
                case "inv_fin_wait" -> n + "'s invalidate_finish holds " + g + "'s user lock and waits for its TLB invalidation";
                case "inv_cb_wait" -> n + "'s callback waits inline for its TLB invalidation";
                default -> n + "'s " + drv + " start took " + g + "'s user lock, a sleeping lock (down_write)";
            };
            int zap = t.lastStep(k, i, n, "inv_cb_zap");
            if (pc.startsWith("inv_fin") && zap > 0)
                story.add(t.stepRef(zap) + ": " + i + "'s invalidate_start for " + n + " on " + g + " (driver " + drv
                        + ") returned true and handed out its finish (finish_inuse set)");
            if (pc.equals("inv_cb_wait") && Boolean.TRUE.equals(bool(t.at(k, "finuse", mv(n))))) {
                for (TlaValue hv : t.domain("flist")) {
                    if (hv.equals(iv) || !contains(set(t.at(k, "flist", hv)), mv(n))) continue;
                    ev.add(Evidence.of(t, k, "flist", hv));
                    story.add(n + "'s one finish was in use by " + pl(hv) + " (queued at " + t.stepRef(t.since(k, "flist", List.of(hv)))
                            + "), so " + i + "'s start fell back to waiting inline");
                }
            }
            story.add(t.stepRef(at.since()) + ": " + why);
            return Optional.of(new Culprit("NoSleepInNonBlockable", "non-blockable " + i + " at " + pc + " on " + n + " (GPU " + g
                    + ", driver " + drv + "): " + why, ev, story, false));
        }
        return Optional.empty();
    }

    private static TlaValue set(TlaValue seq) {
        return seq instanceof TlaValue.SeqV s ? new TlaValue.SetV(s.elements()) : seq;
    }

    private static Boolean bool(TlaValue v) { return v instanceof TlaValue.Bool b ? b.value() : null; }

    /** The GPU of notifier n: from the model's NotifierGpu, else from a fence of n in the trace. */
    private static String gpuOf(TraceView t, ModelConstants c, String n) {
        Optional<TlaValue> g = c.apply("NotifierGpu", n);
        if (g.isPresent()) return pl(g.get());
        for (int k = 0; k <= t.last(); k++)
            for (TlaValue gv : t.domain("fences"))
                if (t.at(k, "fences", gv) instanceof TlaValue.SetV s)
                    for (TlaValue f : s.elements())
                        if (f instanceof TlaValue.RecordV r && pl(r.get("n")).equals(n)) return pl(gv);
        return "?";
    }

    // ---------------------------------------------------------------- finish list properties

    private static Optional<Culprit> finishBeforeReturn(TraceView t, ModelConstants c) {
        int k = t.last();
        Set<String> after = Set.of("mm_change_pte", "inv_end", "range_end", "inv_end_drain", "range_end_drain");
        for (TlaValue iv : t.domain("flist")) {
            String pc = label(t, k, pl(iv));
            TlaValue fl = t.at(k, "flist", iv);
            if (!after.contains(pc) || !(fl instanceof TlaValue.SeqV s) || s.elements().isEmpty()) continue;
            Evidence at = Evidence.of(t, k, "pc", iv), list = Evidence.of(t, k, "flist", iv);
            List<String> story = new ArrayList<>();
            for (int j = 1; j <= k; j++)
                if (t.step(j, "proc").equals(pl(iv)) && !java.util.Objects.equals(t.at(j - 1, "flist", iv), t.at(j, "flist", iv)))
                    story.add(t.stepRef(j) + ": " + pl(iv) + "'s finish list became " + KernelWords.plain(t.at(j, "flist", iv)));
            story.add(t.stepRef(at.since()) + ": " + pl(iv) + " moved on to " + pc + " (" + what(pc) + ") with finishes "
                    + KernelWords.plain(fl) + " not yet called");
            return Optional.of(new Culprit("FinishBeforeReturn", pl(iv) + " reaches " + pc + " with the finishes of " + KernelWords.plain(fl)
                    + " still queued: their invalidate_finish has not run", List.of(at, list), story, false));
        }
        return Optional.empty();
    }

    private static Optional<Culprit> finishSlotIntegrity(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue nv : t.domain("finuse")) {
            List<TlaValue> holders = new ArrayList<>();
            for (TlaValue iv : t.domain("flist")) if (contains(set(t.at(k, "flist", iv)), nv)) holders.add(iv);
            boolean inuse = Boolean.TRUE.equals(bool(t.at(k, "finuse", nv)));
            if (holders.size() <= 1 && (holders.isEmpty() || inuse)) continue;
            List<Evidence> ev = new ArrayList<>();
            List<String> story = new ArrayList<>();
            for (TlaValue h : holders) {
                Evidence e = Evidence.of(t, k, "flist", h);
                ev.add(e);
                story.add(t.stepRef(e.since()) + ": " + pl(h) + " queued " + pl(nv) + "'s finish (its list: " + KernelWords.plain(e.value()) + ")");
            }
            Evidence fu = Evidence.of(t, k, "finuse", nv);
            ev.add(fu);
            story.add(pl(nv) + "'s finish_inuse is " + KernelWords.plain(fu.value()) + (fu.since() == 0 ? " since the initial state" : " since " + t.stepRef(fu.since())));
            String who = holders.stream().map(ModelConstants::plain).toList().toString();
            return Optional.of(new Culprit("FinishSlotIntegrity", holders.size() > 1
                    ? pl(nv) + "'s one embedded finish is queued by " + holders.size() + " invalidations at once: " + who
                    : pl(nv) + "'s finish is queued by " + who + " although finish_inuse is false (no successful start owns it)",
                    ev, story, false));
        }
        return Optional.empty();
    }

    private static Optional<Culprit> noNullFinishCall(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue iv : t.domain("flist")) {
            if (!label(t, k, pl(iv)).equals("oops")) continue;
            Evidence at = Evidence.of(t, k, "pc", iv), list = Evidence.of(t, k, "flist", iv);
            String n = list.value() instanceof TlaValue.SeqV s && !s.elements().isEmpty() ? pl(s.elements().get(0)) : "?";
            int zap = t.lastStep(k, pl(iv), n, "inv_cb_zap");
            List<String> story = new ArrayList<>();
            if (zap > 0) story.add(t.stepRef(zap) + ": " + n + "'s invalidate_start handed out a finish, although " + n
                    + "'s ops have no invalidate_finish (inserted with a warning only)");
            story.add(t.stepRef(at.since()) + ": the finish pass calls " + n + "'s invalidate_finish, a NULL pointer: the task oopses");
            return Optional.of(new Culprit("NoNullFinishCall", pl(iv) + "'s finish pass calls the NULL invalidate_finish of " + n,
                    List.of(at, list), story, false));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- -EAGAIN, counters, seqs

    private static Optional<Culprit> eagainContract(TraceView t, ModelConstants c) {
        int k = t.last();
        Set<String> bad = new LinkedHashSet<>(CALLBACK);
        bad.addAll(List.of("mm_change_pte", "range_end", "range_end_drain"));
        for (TlaValue iv : t.domain("err")) {
            if (!Boolean.TRUE.equals(bool(t.at(k, "err", iv)))) continue;
            String pc = label(t, k, pl(iv));
            if (!bad.contains(pc)) continue;
            Evidence err = Evidence.of(t, k, "err", iv), at = Evidence.of(t, k, "pc", iv);
            List<String> story = new ArrayList<>();
            if (err.since() > 0) story.add(t.stepRef(err.since()) + ": a callback of " + pl(iv) + " returned false: err = -EAGAIN");
            story.add(t.stepRef(at.since()) + ": after -EAGAIN " + pl(iv) + " goes on to " + pc + " (" + what(pc) + ")");
            return Optional.of(new Culprit("EagainContract", pl(iv) + " got -EAGAIN and still reaches " + pc, List.of(err, at), story, false));
        }
        return Optional.empty();
    }

    private static Optional<Culprit> activeCountsRanges(TraceView t, ModelConstants c) {
        int k = t.last();
        Set<String> out = Set.of("inv_start_range", "done", "inv_end_drain", "range_end_drain");
        Evidence active = Evidence.of(t, k, "active");
        List<Evidence> ev = new ArrayList<>(List.of(active));
        List<String> in = new ArrayList<>();
        List<String> story = new ArrayList<>();
        for (TlaValue iv : t.domain("irange")) {
            Evidence pc = Evidence.of(t, k, "pc", iv);
            ev.add(pc);
            if (!out.contains(pl(pc.value()))) in.add(pl(iv));
            else if (pc.since() > 0 && t.step(pc.since(), "proc").equals(pl(iv)))
                story.add(t.stepRef(pc.since()) + ": " + pl(iv) + " left its invalidation (now at " + pl(pc.value()) + ")"
                        + (t.since(k, "active", List.of()) < pc.since() ? " without decrementing active_invalidate_ranges" : ""));
        }
        if (num(active.value()) == in.size()) return Optional.empty();
        story.add(0, (active.since() == 0 ? "the initial state" : t.stepRef(active.since())) + ": active_invalidate_ranges became "
                + pl(active.value()));
        return Optional.of(new Culprit("ActiveCountsRanges", "active_invalidate_ranges is " + pl(active.value()) + " but "
                + in.size() + " range(s) are between start and end: " + in, ev, story, false));
    }

    private static Optional<Culprit> oddSeqHasWriter(TraceView t, ModelConstants c) {
        int k = t.last();
        Evidence seq = Evidence.of(t, k, "seq"), active = Evidence.of(t, k, "active");
        if (num(seq.value()) % 2 == 0 || num(active.value()) != 0) return Optional.empty();
        List<String> story = new ArrayList<>();
        story.add((seq.since() == 0 ? "the initial state" : t.stepRef(seq.since())) + ": invalidate_seq became " + pl(seq.value()) + " (odd)");
        story.add((active.since() == 0 ? "the initial state" : t.stepRef(active.since())) + ": active_invalidate_ranges became 0");
        return Optional.of(new Culprit("OddSeqHasWriter", "invalidate_seq is odd (" + pl(seq.value())
                + ") with no active range: readers wait for a writer that is gone", List.of(seq, active), story, false));
    }

    private static Optional<Culprit> notifierSeqOdd(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue nv : t.domain("iseq")) {
            Evidence e = Evidence.of(t, k, "iseq", nv);
            if (num(e.value()) % 2 != 0) continue;
            String by = e.since() == 0 ? "the initial state" : t.stepRef(e.since());
            return Optional.of(new Culprit("NotifierSeqOdd", pl(nv) + "'s invalidate_seq is " + pl(e.value())
                    + ", even: it can equal the subscriptions' idle seq, so read_begin/read_retry can miss an invalidation",
                    List.of(e), List.of(by + ": " + pl(nv) + "'s invalidate_seq became " + pl(e.value())
                            + (e.since() > 0 ? " (" + what(t.step(e.since(), "label")) + ")" : "")), false));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- insert / remove

    private static Optional<Culprit> removedIsQuiet(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue dv : t.domain("rmseq")) {
            String d = pl(dv);
            if (!label(t, k, d).equals("removed")) continue;
            List<Evidence> ev = new ArrayList<>();
            List<String> where = new ArrayList<>(), why = new ArrayList<>();
            Evidence tree = Evidence.of(t, k, "tree"), deferred = Evidence.of(t, k, "deferred");
            if (contains(tree.value(), dv)) { ev.add(tree); where.add("in the interval tree"); }
            if (contains(deferred.value(), dv)) { ev.add(deferred); where.add("on the deferred list"); }
            if (!where.isEmpty()) why.add(d + " is still " + String.join(" and ", where));
            for (TlaValue iv : t.domain("cursor")) {
                if (t.at(k, "cursor", iv).equals(dv)) { ev.add(Evidence.of(t, k, "cursor", iv)); why.add(pl(iv) + "'s walk is on " + d); }
                if (contains(set(t.at(k, "flist", iv)), dv)) { ev.add(Evidence.of(t, k, "flist", iv)); why.add(pl(iv) + " has " + d + "'s finish queued"); }
            }
            if (ev.isEmpty()) continue;
            Evidence pc = Evidence.of(t, k, "pc", dv);
            ev.add(0, pc);
            List<String> story = new ArrayList<>();
            int rm = t.lastStep(k, d, null, "remove");
            if (rm > 0) story.add(t.stepRef(rm) + ": mmu_interval_notifier_remove(" + d + ") with invalidate_seq " + pl(t.at(rm - 1, "seq")));
            story.add(t.stepRef(pc.since()) + ": remove returned");
            for (Evidence e : ev.subList(1, ev.size()))
                if (e.since() > 0) story.add(t.stepRef(e.since()) + ": " + e.words(k));
            return Optional.of(new Culprit("RemovedIsQuiet", "mmu_interval_notifier_remove(" + d + ") has returned, yet "
                    + String.join(", and ", why), ev, story, false));
        }
        return Optional.empty();
    }

    private static Optional<Culprit> treeFrozen(TraceView t, ModelConstants c) {
        int k = t.last();
        if (k == 0 || t.at(k, "tree").equals(t.at(k - 1, "tree")) || num(t.at(k - 1, "seq")) % 2 == 0) return Optional.empty();
        Evidence before = Evidence.of(t, k - 1, "tree"), after = Evidence.of(t, k, "tree"), seq = Evidence.of(t, k - 1, "seq");
        return Optional.of(new Culprit("TreeFrozenWhileInvalidating", t.step(k, "proc") + " changed the interval tree from "
                + pl(before.value()) + " to " + pl(after.value()) + " while invalidate_seq was odd (" + pl(seq.value()) + "): the walk of a running invalidation reads it unlocked",
                List.of(before, after, seq), List.of(
                        (seq.since() == 0 ? "the initial state" : t.stepRef(seq.since())) + ": invalidate_seq became " + pl(seq.value()) + " (odd)",
                        t.stepRef(k) + ": " + what(t.step(k, "label")) + " changed the tree"), false));
    }

    private static Optional<Culprit> finishSlotUnderUserLock(TraceView t, ModelConstants c) {
        int k = t.last();
        if (k == 0) return Optional.empty();
        String who = t.step(k, "proc");
        for (TlaValue nv : t.domain("finuse")) {
            if (t.at(k, "finuse", nv).equals(t.at(k - 1, "finuse", nv))) continue;
            String g = gpuOf(t, c, pl(nv));
            TlaValue lock = g.equals("?") ? null : t.at(k - 1, "ulock", mv(g));
            if (lock == null || pl(lock).equals(who)) continue;
            Evidence fu = Evidence.of(t, k, "finuse", nv), ul = Evidence.of(t, k - 1, "ulock", mv(g));
            return Optional.of(new Culprit("FinishSlotUnderUserLock", who + " changed " + pl(nv) + "'s finish_inuse to "
                    + KernelWords.plain(fu.value()) + " without holding " + g + "'s user lock (held by " + KernelWords.plain(lock) + ")",
                    List.of(fu, ul), List.of(t.stepRef(k) + ": " + what(t.step(k, "label"))), false));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- liveness and deadlock

    /** A lasso in which some process of {@code domainVar}'s domain stays away from {@code target} in every state of the loop. */
    private static Optional<Culprit> neverReaches(TraceView t, String property, String domainVar, String target, String kind) {
        int k = t.last();
        int loop = t.trace().loop().orElse(k);
        for (TlaValue pv : t.domain(domainVar)) {
            String p = pl(pv);
            Set<String> labels = new LinkedHashSet<>();
            boolean reaches = false;
            for (int j = loop; j <= k; j++) {
                String l = label(t, j, p);
                labels.add(l);
                if (l.equals(target)) reaches = true;
            }
            if (reaches) continue;
            Evidence at = Evidence.of(t, k, "pc", pv);
            List<String> story = new ArrayList<>();
            story.add(Explainer.loopText(loop, k) + "; in every state of the loop " + p + " is at " + String.join(", ", labels)
                    + ", never at " + target);
            story.add(t.stepRef(at.since()) + ": " + p + " reached " + pl(at.value()) + " (" + what(pl(at.value())) + ")");
            List<Evidence> ev = new ArrayList<>(List.of(at));
            String asleep = "";
            int from = asleepSince(t, pv, loop, k);
            if (from >= 0) {
                // a sleeper on subscriptions->wq that nothing takes off the queue: a lost wake-up
                ev.add(Evidence.of(t, k, "wq"));
                List<String> drains = new ArrayList<>();
                for (int j = from + 1; j <= k; j++) {
                    String l = t.step(j, "label");
                    if (l.equals("inv_end_drain") || l.equals("range_end_drain")) drains.add(t.stepRef(j));
                }
                asleep = "; it is asleep on subscriptions->wq since " + t.stepRef(from) + " and no wake_up_all takes it off"
                        + (drains.isEmpty() ? "" : " (" + String.join(", ", drains) + " woke nobody)");
                story.add(t.stepRef(from) + ": " + p + " went to sleep on subscriptions->wq; it is on the queue in every later state");
            }
            return Optional.of(new Culprit(property, "the " + kind + " " + p + " never gets past " + String.join(", ", labels)
                    + ": it never reaches " + target + asleep, ev, story, false));
        }
        return Optional.empty();
    }

    /**
     * The first state from which process {@code pv} is on subscriptions->wq in every state up to
     * {@code k}, if it is in every state of the loop {@code loop..k}; -1 if not (or the trace has no wq).
     */
    private static int asleepSince(TraceView t, TlaValue pv, int loop, int k) {
        for (int j = loop; j <= k; j++) if (!contains(t.at(j, "wq"), pv)) return -1;
        int from = loop;
        while (from > 0 && contains(t.at(from - 1, "wq"), pv)) from--;
        return from;
    }

    private static Optional<Culprit> deadlock(TraceView t, ModelConstants c) {
        int k = t.last();
        List<Evidence> ev = new ArrayList<>();
        List<String> stuck = new ArrayList<>();
        for (TlaValue pv : t.domain("pc")) {
            String l = label(t, k, pl(pv));
            if (l.equals("done") || l.equals("removed")) continue;
            ev.add(Evidence.of(t, k, "pc", pv));
            stuck.add(pl(pv) + " at " + l);
        }
        if (ev.isEmpty()) return Optional.empty();
        return Optional.of(new Culprit("Deadlock", "no process can take a step: " + String.join(", ", stuck), ev, List.of(), false));
    }

    // ---------------------------------------------------------------- FinishSlotsFreed

    /** Every process has returned, and a notifier's finish_inuse is still set: the step that set it, and who took the finish. */
    private static Optional<Culprit> finishSlotsFreed(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue nv : t.domain("finuse")) {
            if (!(t.at(k, "finuse", nv) instanceof TlaValue.Bool b) || !b.value()) continue;
            String n = pl(nv);
            Evidence slot = Evidence.of(t, k, "finuse", nv);
            List<Evidence> ev = new ArrayList<>(List.of(slot));
            List<String> story = new ArrayList<>();
            String taker = slot.since() > 0 ? t.step(slot.since(), "proc") : "?";
            if (slot.since() > 0) {
                story.add(t.stepRef(slot.since()) + ": " + taker + "'s invalidate_start on " + n + " handed out " + n
                        + "'s embedded finish (finish_inuse = true)");
                int end = t.lastStep(k, taker, null, "inv_end", "range_end");
                if (end > slot.since()) story.add(t.stepRef(end) + ": " + taker + "'s invalidation ended (mn_itree_inv_end) without calling "
                        + n + "'s invalidate_finish");
            }
            story.add("every process has returned: nothing will ever clear " + n + "'s finish_inuse");
            return Optional.of(new Culprit("FinishSlotsFreed", n + "'s finish slot is lost: finish_inuse is still set when every process has returned ("
                    + "taken by " + taker + ", whose invalidate_finish never ran)", ev, story, false));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- NoTranslationAfterRemove

    /** remove has returned, and the notifier's GPU still holds a translation of a page only that notifier maps there. */
    private static Optional<Culprit> translationAfterRemove(TraceView t, ModelConstants c) {
        int k = t.last();
        for (TlaValue dv : t.domain("rmseq")) {
            String d = pl(dv);
            if (!label(t, k, d).equals("removed")) continue;
            Optional<TlaValue> g = c.apply("NotifierGpu", d);
            if (g.isEmpty()) continue;
            for (TlaValue p : t.domain("pte")) {
                for (String var : List.of("tlb", "dpte")) {
                    TlaValue v = t.at(k, var, g.get(), p);
                    if (v == null || num(v) == 0) continue;
                    Evidence held = Evidence.of(t, k, var, g.get(), p), pc = Evidence.of(t, k, "pc", dv);
                    List<String> story = new ArrayList<>();
                    if (held.since() > 0) story.add(t.stepRef(held.since()) + ": " + held.words(k));
                    int unbind = t.lastStep(k, d, null, "unbind");
                    if (unbind > 0) story.add(t.stepRef(unbind) + ": the driver's unbind of " + d + " ran (it must zap "
                            + d + "'s device PTEs and invalidate " + pl(g.get()) + "'s TLB before remove)");
                    story.add(t.stepRef(pc.since()) + ": mmu_interval_notifier_remove(" + d + ") returned");
                    return Optional.of(new Culprit("NoTranslationAfterRemove", pl(g.get()) + " still holds a translation of page " + pl(p)
                            + " (" + ("tlb".equals(var) ? "TLB entry" : "device PTE") + ") after mmu_interval_notifier_remove(" + d
                            + ") returned: no invalidation will reach it again", List.of(pc, held), story, false));
                }
            }
        }
        return Optional.empty();
    }
}
