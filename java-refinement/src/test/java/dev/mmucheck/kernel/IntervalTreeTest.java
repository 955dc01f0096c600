package dev.mmucheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The interval tree against a brute-force oracle: a list scanned in full. */
class IntervalTreeTest {

    /** Random inserts, removes and queries; addresses drawn near 0, near ULONG_MAX and in a small window. */
    @Property(tries = 300)
    void iterFirstAndIterNextFindExactlyTheOverlappingNodesInStartOrder(@ForAll long seed,
                                                                        @ForAll @IntRange(min = 1, max = 300) int ops) {
        Random rnd = new Random(seed);
        IntervalTree<Integer> tree = new IntervalTree<>();
        List<IntervalTree.Node<Integer>> inTree = new ArrayList<>();   // in insertion order
        for (int k = 0; k < ops; k++) {
            int what = rnd.nextInt(10);
            if (what < 5 || inTree.isEmpty()) {
                long s = addr(rnd), l = addr(rnd);
                if (Long.compareUnsigned(s, l) > 0) { long t = s; s = l; l = t; }
                IntervalTree.Node<Integer> n = new IntervalTree.Node<>(s, l, k);
                tree.insert(n);
                inTree.add(n);
            } else if (what < 7) {
                IntervalTree.Node<Integer> n = inTree.remove(rnd.nextInt(inTree.size()));
                tree.remove(n);
                assertTrue(n.isEmptyNode());
            } else {
                long s = addr(rnd), l = addr(rnd);
                if (Long.compareUnsigned(s, l) > 0) { long t = s; s = l; l = t; }
                assertEquals(bruteForce(inTree, s, l), walk(tree, s, l), "query [" + Long.toUnsignedString(s) + ", " + Long.toUnsignedString(l) + "]");
            }
            tree.verify();
            assertEquals(inTree.size(), tree.size());
        }
        assertEquals(bruteForce(inTree, 0, -1L), walk(tree, 0, -1L), "every node overlaps [0, ULONG_MAX]");
    }

    /**
     * Where a torn walk may resume: every node after a node's place that overlaps the query, in
     * start order, from a node in the tree or one just removed (its place is its key).
     */
    @Property(tries = 200)
    void overlapsAfterListsTheOverlappingNodesPastANodesPlaceEvenOnceItIsRemoved(@ForAll long seed,
                                                                               @ForAll @IntRange(min = 2, max = 60) int ops) {
        Random rnd = new Random(seed);
        IntervalTree<Integer> tree = new IntervalTree<>();
        List<IntervalTree.Node<Integer>> inTree = new ArrayList<>();
        for (int k = 0; k < ops; k++) {
            long s = addr(rnd), l = addr(rnd);
            if (Long.compareUnsigned(s, l) > 0) { long t = s; s = l; l = t; }
            IntervalTree.Node<Integer> n = new IntervalTree.Node<>(s, l, k);
            tree.insert(n);
            inTree.add(n);
        }
        IntervalTree.Node<Integer> from = inTree.get(rnd.nextInt(inTree.size()));
        if (rnd.nextBoolean()) {
            tree.remove(from);
            inTree.remove(from);
        }
        long s = addr(rnd), l = addr(rnd);
        if (Long.compareUnsigned(s, l) > 0) { long t = s; s = l; l = t; }
        List<Integer> expected = new ArrayList<>();
        for (Integer v : bruteForce(inTree, s, l)) {
            IntervalTree.Node<Integer> n = inTree.stream().filter(x -> x.value().equals(v)).findFirst().orElseThrow();
            int c = Long.compareUnsigned(n.start(), from.start());
            if (c > 0 || (c == 0 && n.value() > from.value())) expected.add(v);   // value = insertion order
        }
        List<Integer> got = new ArrayList<>();
        tree.overlapsAfter(from, s, l).forEach(n -> got.add(n.value()));
        assertEquals(expected, got);
    }

    @Test
    void comparesAddressesUnsigned() {
        IntervalTree<String> t = new IntervalTree<>();
        IntervalTree.Node<String> high = new IntervalTree.Node<>(0xFFFF_FFFF_FFFF_F000L, -1L, "high");
        IntervalTree.Node<String> low = new IntervalTree.Node<>(0x1000, 0x1FFF, "low");
        t.insert(high);
        t.insert(low);
        assertEquals("low", t.iterFirst(0, -1L).value(), "0x1000 comes before 0xFFFF...F000 (unsigned)");
        assertEquals("high", t.iterNext(t.iterFirst(0, -1L), 0, -1L).value());
        assertEquals("high", t.iterFirst(-2L, -1L).value());
        assertNull(t.iterFirst(0x2000, 0xFFFF_FFFF_FFFF_EFFFL));
    }

    @Test
    void equalStartsKeepInsertionOrderAsTheKernelsRbTreeDoes() {
        IntervalTree<String> t = new IntervalTree<>();
        for (String n : List.of("n1", "n2", "n3")) t.insert(new IntervalTree.Node<>(0x1000, 0x1FFF, n));
        List<String> order = new ArrayList<>();
        for (IntervalTree.Node<String> n = t.iterFirst(0x1000, 0x1FFF); n != null; n = t.iterNext(n, 0x1000, 0x1FFF)) order.add(n.value());
        assertEquals(List.of("n1", "n2", "n3"), order);
    }

    @Test
    void aNodeIsInOneTreeAtATime() {
        IntervalTree<String> t = new IntervalTree<>();
        IntervalTree.Node<String> n = new IntervalTree.Node<>(1, 2, "n");
        t.insert(n);
        assertThrows(IllegalStateException.class, () -> t.insert(n));
        t.remove(n);
        assertThrows(IllegalStateException.class, () -> t.remove(n));
        assertThrows(IllegalArgumentException.class, () -> new IntervalTree.Node<>(5, 4, "inverted"));
    }

    private static long addr(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> rnd.nextInt(64);
            case 1 -> -1L - rnd.nextInt(64);
            default -> 0x7FFF_FFFF_FFFF_FFE0L + rnd.nextInt(64);   // across the signed/unsigned boundary
        };
    }

    private static List<Integer> bruteForce(List<IntervalTree.Node<Integer>> nodes, long s, long l) {
        List<IntervalTree.Node<Integer>> hit = new ArrayList<>();
        for (IntervalTree.Node<Integer> n : nodes) {
            if (Long.compareUnsigned(n.start(), l) <= 0 && Long.compareUnsigned(n.last(), s) >= 0) hit.add(n);
        }
        // start order; equal starts in insertion order (the list is in insertion order, the sort is stable)
        hit.sort(Comparator.comparing(IntervalTree.Node::start, Long::compareUnsigned));
        List<Integer> out = new ArrayList<>();
        hit.forEach(n -> out.add(n.value()));
        return out;
    }

    private static List<Integer> walk(IntervalTree<Integer> t, long s, long l) {
        List<Integer> out = new ArrayList<>();
        for (IntervalTree.Node<Integer> n = t.iterFirst(s, l); n != null; n = t.iterNext(n, s, l)) out.add(n.value());
        return out;
    }
}
