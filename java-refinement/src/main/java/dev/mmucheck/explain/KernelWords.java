package dev.mmucheck.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mmucheck.tlc.TlaValue;

/**
 * The spec's variables (specs/CONTRACT.md) and their values in the kernel's words:
 * {@code dpte[g1][1]} is "device PTE of page 1 on g1", {@code NoProc} is "nobody". One place, so
 * that the steps and the culprits say the same thing. A variable this class does not know is
 * shown under its own name.
 */
public final class KernelWords {
    private KernelWords() {}

    /** How many levels of function a variable has before its leaves (dpte: GPU, then page). */
    static int depth(String var, TlaValue v) {
        return switch (var) {
            case "seq", "active", "tree", "deferred", "slock", "wq", "warn", "step" -> 0;
            case "dpte", "tlb", "iommu" -> 2;
            default -> v instanceof TlaValue.FunctionV || var.equals("pte") ? 1 : 0;
        };
    }

    /** The name of variable {@code var} at {@code keys} ({@code keys} as people read them: g1, 1). */
    public static String name(String var, List<String> keys) {
        String a = keys.isEmpty() ? "?" : keys.get(0), b = keys.size() < 2 ? "?" : keys.get(1);
        return switch (var) {
            case "seq" -> "invalidate_seq";
            case "active" -> "active_invalidate_ranges";
            case "tree" -> "interval tree";
            case "deferred" -> "deferred_list";
            case "slock" -> "subscriptions->lock held across steps by";
            case "wq" -> "asleep on subscriptions->wq";
            case "warn" -> "WARN_ONs fired";
            case "iseq" -> a + "'s invalidate_seq";
            case "pc" -> a + "'s next step";
            case "irange" -> a + "'s range";
            case "cur" -> a + "'s cur_seq";
            case "cursor" -> a + "'s walk position (interval_sub)";
            case "torn" -> a + "'s walk torn (the tree changed under it since its last mn_itree_inv_next)";
            case "err" -> a + "'s err == -EAGAIN";
            case "flist" -> a + "'s finish list";
            case "ninv" -> a + "'s invalidations done";
            case "pte" -> "CPU PTE of page " + a;
            case "ulock" -> a + "'s user lock held by";
            case "finuse" -> a + "'s finish_inuse";
            case "tlbsub" -> a + "'s tlb_inval_submitted (the batch in inval_batch submitted by)";
            case "rlock" -> a + "'s notifier_lock held for read by";
            case "dpte" -> "device PTE of page " + b + " on " + a;
            case "tlb" -> "TLB entry of page " + b + " on " + a;
            case "iommu" -> "IOMMU mapping of page " + b + " on " + a;
            case "fences" -> a + "'s pending TLB invalidations";
            case "rseq" -> a + "'s seq from mmu_interval_read_begin";
            case "rval" -> "CPU PTE version " + a + " read";
            case "nreads" -> a + "'s device PTEs installed";
            case "rmseq" -> a + "'s remove waits for invalidate_seq to leave";
            default -> keys.isEmpty() ? var : var + "[" + String.join("][", keys) + "]";
        };
    }

    /** A value of {@code var} as people read it. */
    public static String value(String var, TlaValue v) {
        return switch (var) {
            case "pte" -> v instanceof TlaValue.Int ? "version " + v : plain(v);
            case "dpte", "tlb", "iommu" -> v instanceof TlaValue.Int i && i.value().signum() == 0 ? "none"
                    : v instanceof TlaValue.Int ? "made from PTE version " + v : plain(v);
            case "fences" -> v instanceof TlaValue.SetV s ? (s.elements().isEmpty() ? "none" : fences(s)) : plain(v);
            case "irange" -> v instanceof TlaValue.SetV s && !s.elements().isEmpty() ? "pages " + plain(v) : plain(v);
            default -> plain(v);
        };
    }

    private static String fences(TlaValue.SetV s) {
        List<String> xs = new ArrayList<>();
        for (TlaValue f : s.elements()) xs.add(fence(f));
        return String.join(", ", xs);
    }

    /** One TLB invalidation fence [n |-> n1, by |-> i2]: "n1's, submitted by i2". */
    public static String fence(TlaValue f) {
        if (f instanceof TlaValue.RecordV r && r.get("n") instanceof TlaValue.ModelValue m && m.name().equals("NoNotifier"))
            return "the bind job of " + plain(r.get("by")) + "'s install";
        if (f instanceof TlaValue.RecordV r && r.fields().containsKey("n") && r.fields().containsKey("by"))
            return plain(r.get("n")) + "'s (submitted by " + plain(r.get("by")) + ")";
        return plain(f);
    }

    /** Model values by name (NoProc: nobody, NoNotifier: NULL), strings bare, sets and sequences in braces and brackets. */
    public static String plain(TlaValue v) {
        if (v instanceof TlaValue.ModelValue m) {
            return switch (m.name()) {
                case "NoProc" -> "nobody";
                case "NoNotifier" -> "NULL";
                default -> m.name();
            };
        }
        if (v instanceof TlaValue.Str s) return s.value();
        if (v instanceof TlaValue.Bool b) return b.value() ? "true" : "false";
        if (v instanceof TlaValue.SetV s) return "{" + join(s.elements()) + "}";
        if (v instanceof TlaValue.SeqV s) return "[" + join(s.elements()) + "]";
        if (v instanceof TlaValue.RecordV r) {
            List<String> parts = new ArrayList<>();
            r.fields().forEach((k, x) -> parts.add(k + ": " + plain(x)));
            return "(" + String.join(", ", parts) + ")";
        }
        if (v instanceof TlaValue.FunctionV f) {
            List<String> parts = new ArrayList<>();
            for (TlaValue.Pair p : f.entries()) parts.add(plain(p.key()) + ": " + plain(p.value()));
            return "(" + String.join(", ", parts) + ")";
        }
        return v.toString();
    }

    private static String join(List<TlaValue> vs) {
        List<String> parts = new ArrayList<>();
        for (TlaValue v : vs) parts.add(plain(v));
        return String.join(", ", parts);
    }

    /** The leaves of a variable's value: each key path (as TLA+ values) with its value. */
    static void leaves(String var, TlaValue v, List<TlaValue> keys, int depth, Map<List<TlaValue>, TlaValue> out) {
        if (depth == 0 || !(v instanceof TlaValue.FunctionV || v instanceof TlaValue.SeqV || v instanceof TlaValue.RecordV)) {
            out.put(List.copyOf(keys), v);
            return;
        }
        for (Map.Entry<TlaValue, TlaValue> e : ConstantExpr.entries(v).entrySet()) {
            List<TlaValue> k = new ArrayList<>(keys);
            k.add(e.getKey());
            leaves(var, e.getValue(), k, depth - 1, out);
        }
    }

    /** {@code v} at {@code keys}, or null when a key is not in the domain. */
    public static TlaValue at(TlaValue v, List<TlaValue> keys) {
        for (TlaValue k : keys) {
            if (v == null) return null;
            v = ConstantExpr.entries(v).get(k);
        }
        return v;
    }
}
