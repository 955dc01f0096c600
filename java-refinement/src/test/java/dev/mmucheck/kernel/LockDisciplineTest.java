package dev.mmucheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.scheduling.LockNotHeldException;

/**
 * The lock discipline of the kernel and driver code (README, "Lock discipline"): every field the
 * kernel or the driver protects by a lock is a private holder ({@code Guarded}, {@code GuardedLong},
 * {@code GuardedBool}) whose plain accessors check the lock at run time; the ways around the check
 * (READ_ONCE, the frozen tree, the quiescent read path, the unlocked accesses of spec mutations)
 * are each listed here with the reason the kernel has for it, and a new one fails this test until it
 * is listed. The source is read as text: no reflection, no byte-code tools.
 */
class LockDisciplineTest {

    /** The protected fields: file, field, and the holder type it must be declared with. */
    private static final List<String[]> PROTECTED = List.of(
            new String[] {"kernel/MmuNotifierSubscriptions.java", "invalidateSeq", "private final GuardedLong"},
            new String[] {"kernel/MmuNotifierSubscriptions.java", "activeInvalidateRanges", "private final GuardedLong"},
            new String[] {"kernel/MmuNotifierSubscriptions.java", "itree", "private final Guarded<"},
            new String[] {"kernel/MmuNotifierSubscriptions.java", "deferredList", "private final Guarded<"},
            new String[] {"driver/Userptr.java", "finishInuse", "private final GuardedBool"},
            new String[] {"driver/Userptr.java", "gone", "private final GuardedBool"},
            new String[] {"driver/GpuDevice.java", "dpte", "private volatile Guarded<"});

    /**
     * Every access that does not check the lock, as file#method: call -> how many, with the reason
     * (the comment). Anything else found in src/main fails the test, and so does an entry not found.
     */
    private static final Map<String, Integer> UNCHECKED = new TreeMap<>(Map.ofEntries(
            // the kernel's unlocked reads on purpose
            Map.entry("kernel/MmuNotifierSubscriptions.java#mnItreeInvNext: .frozen()", 1),        // the tree is frozen while invalidate_seq is odd
            Map.entry("kernel/MmuNotifierSubscriptions.java#seqMovedOn: .readOnce()", 1),          // read_begin's wait_event condition: READ_ONCE
            Map.entry("kernel/MmuNotifierSubscriptions.java#readBeginLocked: readOnceInvalidateSeq()", 1), // interval_sub->invalidate_seq: written under the driver's lock
            Map.entry("kernel/MmuNotifierSubscriptions.java#seqReleasedReadOnce: .readOnce()", 1), // M10: the pre-2022 unlocked seq_released
            Map.entry("kernel/MmuNotifierSubscriptions.java#readOnceInvalidateSeq: .readOnce()", 1), // D4's unlocked read (2019 hmm valid flag)
            Map.entry("kernel/MmuNotifierSubscriptions.java#ownExclusiveInvalidation: .readOnce()", 1), // its step's guard (no range active), judged in the check that takes the lock
            Map.entry("driver/GpuVm.java#fault: readOnceInvalidateSeq()", 2),                       // D4: both seqs compared under the user lock only
            Map.entry("driver/GpuVm.java#enterCallback: finishFreeBeforeTrylock(", 1),                       // test_hmm: *finish set before mutex_trylock
            Map.entry("driver/Userptr.java#finishFreeBeforeTrylock: .readOnce()", 1),
            Map.entry("driver/Userptr.java#isGoneReadOnce: .readOnce()", 1),         // the fault path's unlocked XE_VMA_DESTROYED check at read_begin
            Map.entry("driver/Userptr.java#isBoundReadOnce: .readOnce()", 1),        // its wait for the insert; decided again under the lock at read_retry
            // spec mutations that drop the lock on purpose
            Map.entry("driver/GpuVm.java#fault: installUnlocked(", 1),                              // D3: install after up_write
            Map.entry("driver/GpuDevice.java#installUnlocked: .underMutationUnlocked()", 1),
            Map.entry("driver/Userptr.java#setFinishInuse: .setUnderMutationUnlocked(", 1),         // D9: reported as FinishSlotUnderUserLock
            Map.entry("driver/Userptr.java#finishInuseInNotifier: .readOnce()", 1),                 // D9's finish reads finish_inuse (xe_assert) without the lock
            // the quiescent read path (abstraction function, property checkers, tests)
            Map.entry("kernel/MmuNotifierSubscriptions.java#invalidateSeq: .quiescent()", 1),
            Map.entry("kernel/MmuNotifierSubscriptions.java#activeInvalidateRanges: .quiescent()", 1),
            Map.entry("kernel/MmuNotifierSubscriptions.java#treeNotifiers: .quiescent()", 1),
            Map.entry("kernel/MmuNotifierSubscriptions.java#deferred: .quiescent()", 1),
            Map.entry("driver/Userptr.java#finishInuse: .quiescent()", 1),
            Map.entry("driver/GpuDevice.java#devicePte: .quiescent()", 1)));

    /** The ways around the check, as they appear at a call. */
    private static final Pattern UNCHECKED_CALL = Pattern.compile(
            "\\.(?:frozen|readOnce|quiescent|underMutationUnlocked)\\(\\)|\\.setUnderMutationUnlocked\\(|\\breadOnceInvalidateSeq\\(\\)"
                    + "|\\bfinishFreeBeforeTrylock\\(|\\binstallUnlocked\\(");

    /** The quiescent public accessors: never called by kernel or driver code, which runs on the process threads. */
    private static final Pattern QUIESCENT_ACCESSOR = Pattern.compile(
            "\\b(?:invalidateSeq|activeInvalidateRanges|treeNotifiers|deferred|finishInuse)\\(\\)|\\bdevicePte\\(");

    private static final Pattern METHOD = Pattern.compile(
            "^(?: {4}| {8})(?=\\S)(?!(?:return|throw|if|for|while|else|new|this|super|synchronized|try|catch|switch|do)\\b)[\\w<>\\[\\], ?@]*?\\b(\\w+)\\s*\\(");
    private static final Pattern FIELD_UNDER_LOCK = Pattern.compile(
            "^ {4}(?=\\S)((?:(?:private|protected|public|final|volatile|static)\\s+)*[\\w.<>, ?\\[\\]]+?)\\s+(\\w+)\\s*(?:=[^;]*)?;\\s*//(.*\\bunder\\b.*\\block\\b.*)$");

    private static Path main() { return TestProject.get().root().resolve("java-refinement/src/main/java/dev/mmucheck"); }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(main())) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String rel(Path p) { return main().relativize(p).toString().replace('\\', '/'); }

    private static boolean isDeclaration(String line) {
        Matcher m = METHOD.matcher(line);
        return m.find() && !line.trim().endsWith(";") && !line.substring(0, line.indexOf('(')).contains("=");
    }

    /** The unchecked accesses found, as file#method: call -> count, outside the holder classes themselves. */
    static Map<String, Integer> uncheckedAccesses() throws IOException {
        Map<String, Integer> found = new TreeMap<>();
        for (Path p : sources()) {
            String f = rel(p);
            if (f.startsWith("scheduling/Guarded")) continue;
            String method = "(class body)";
            for (String line : Files.readAllLines(p)) {
                String code = line.replaceAll("//.*$", "");
                if (code.trim().startsWith("*") || code.trim().startsWith("/*")) continue;
                boolean decl = isDeclaration(code);
                if (decl) {
                    Matcher m = METHOD.matcher(code);
                    m.find();
                    method = m.group(1);
                }
                Matcher c = UNCHECKED_CALL.matcher(code);
                while (c.find()) {
                    if (decl && c.group().replaceAll("[.()]", "").equals(method)) continue;   // its own declaration
                    found.merge(f + "#" + method + ": " + c.group(), 1, Integer::sum);
                }
            }
        }
        return found;
    }

    @Test
    void everyProtectedFieldIsAHolderThatChecksItsLock() throws IOException {
        List<String> bad = new ArrayList<>();
        for (String[] pf : PROTECTED) {
            String src = Files.readString(main().resolve(pf[0]));
            Matcher m = Pattern.compile("^\\s*(.*?)\\s+" + pf[1] + "\\s*(?:=[^;]*)?;", Pattern.MULTILINE).matcher(src);
            if (!m.find()) bad.add(pf[0] + ": no field " + pf[1]);
            else if (!m.group(1).startsWith(pf[2])) bad.add(pf[0] + ": field " + pf[1] + " is declared '" + m.group(1) + "', not '" + pf[2] + "...'");
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void aFieldCommentedAsUnderALockIsAHolder() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            String f = rel(p);
            if (!f.startsWith("kernel/") && !f.startsWith("driver/")) continue;
            for (String line : Files.readAllLines(p)) {
                Matcher m = FIELD_UNDER_LOCK.matcher(line);
                if (m.find() && !m.group(1).matches(".*\\bGuarded(Long|Bool)?\\b.*")) {
                    bad.add(f + ": field " + m.group(2) + " (" + m.group(1).trim() + ") says it is under a lock but has no holder that checks it");
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void everyAccessThatSkipsTheLockCheckIsListedWithItsReason() throws IOException {
        Map<String, Integer> found = uncheckedAccesses();
        List<String> bad = new ArrayList<>();
        found.forEach((k, n) -> {
            if (!n.equals(UNCHECKED.get(k))) bad.add("unlisted or more than listed: " + k + " (" + n + ")");
        });
        UNCHECKED.forEach((k, n) -> {
            if (!found.containsKey(k)) bad.add("listed but not found: " + k);
        });
        assertEquals(List.of(), bad, "an access without the lock check must be one the kernel makes on purpose, listed here with why");
    }

    @Test
    void kernelAndDriverCodeNeverUseTheQuiescentReadPath() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            String f = rel(p);
            if (!f.startsWith("kernel/") && !f.startsWith("driver/")) continue;
            int n = 0;
            for (String line : Files.readAllLines(p)) {
                n++;
                String code = line.replaceAll("//.*$", "");
                if (code.trim().startsWith("*") || code.trim().startsWith("/*") || isDeclaration(code)) continue;
                Matcher m = QUIESCENT_ACCESSOR.matcher(code);
                if (m.find()) bad.add(f + ":" + n + ": " + line.trim());
            }
        }
        assertEquals(List.of(), bad, "kernel and driver code runs on the process threads: it must read through the checked accessors");
    }

    @Test
    void anAccessWithoutTheLockNamesTheFieldTheLockAndTheThread() {
        Mm mm = new Mm(KernelConfig.merged());
        MmuNotifierSubscriptions subs = mm.subscriptions();
        LockNotHeldException e = assertThrows(LockNotHeldException.class, subs::mnItreeIsInvalidating);
        assertEquals("subscriptions->invalidate_seq", e.field());
        assertEquals("subscriptions->lock", e.lock());
        assertTrue(e.getMessage().contains("read by " + Thread.currentThread().getName() + " without holding subscriptions->lock (held by nobody)"),
                e.getMessage());
        subs.lock.lock();
        try {
            assertEquals(false, subs.mnItreeIsInvalidating(), "under the lock the read is allowed");
        } finally {
            subs.lock.unlock();
        }
    }
}
