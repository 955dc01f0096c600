package dev.mmucheck.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The interval tree of include/linux/interval_tree.h: closed intervals [start, last] of unsigned
 * 64-bit addresses, ordered by start (equal starts in insertion order, as the kernel's rb-tree
 * puts an equal key to the right), with {@link #iterFirst} and {@link #iterNext} finding the
 * overlapping nodes in that order in O(log n + k).
 *
 * <p>Written here rather than taken from a library: the kernel's API (iter_first/iter_next from
 * a node, RB_EMPTY_NODE, duplicate intervals) and unsigned comparison up to ULONG_MAX are not
 * what the general-purpose Java interval trees offer, and the code is small enough to test
 * completely against a brute-force oracle (IntervalTreeTest). It is an AVL tree augmented with
 * each subtree's largest {@code last}, the same augmentation as the kernel's rb-tree. Not
 * thread-safe: the kernel changes it under subscriptions->lock and walks it only while it is frozen.
 * A walk over a tree that changed under it (mutation M18) is not a pointer walk here: the walk
 * asks {@link #overlapsAfter} where it may resume, as the spec's WalkNext says.
 */
public final class IntervalTree<T> {

    /** struct interval_tree_node: one interval; in at most one tree at a time. */
    public static final class Node<T> {
        private final long start;
        private final long last;
        private final T value;
        private long order;            // tie-break among equal starts
        private Node<T> left, right, parent;
        private int height;
        private long subtreeLast;
        private IntervalTree<T> tree;  // null: RB_EMPTY_NODE

        public Node(long start, long last, T value) {
            if (Long.compareUnsigned(start, last) > 0) {
                throw new IllegalArgumentException(String.format("interval [0x%x, 0x%x] ends before it starts", start, last));
            }
            this.start = start;
            this.last = last;
            this.value = value;
        }

        public long start() { return start; }
        public long last() { return last; }
        public T value() { return value; }

        /** RB_EMPTY_NODE(&node->rb): not in any tree. */
        public boolean isEmptyNode() { return tree == null; }
    }

    private Node<T> root;
    private int size;
    private long insertions;

    /** interval_tree_insert */
    public void insert(Node<T> n) {
        if (!n.isEmptyNode()) throw new IllegalStateException(String.format("node [0x%x, 0x%x] is already in a tree", n.start, n.last));
        n.order = insertions++;
        n.left = n.right = n.parent = null;
        n.height = 1;
        n.subtreeLast = n.last;
        n.tree = this;
        size++;
        if (root == null) {
            root = n;
            return;
        }
        Node<T> p = root;
        for (;;) {
            if (keyCompare(n, p) < 0) {
                if (p.left == null) { p.left = n; break; }
                p = p.left;
            } else {
                if (p.right == null) { p.right = n; break; }
                p = p.right;
            }
        }
        n.parent = p;
        rebalanceUp(p);
    }

    /** interval_tree_remove */
    public void remove(Node<T> n) {
        if (n.tree != this) throw new IllegalStateException(String.format("node [0x%x, 0x%x] is not in this tree", n.start, n.last));
        Node<T> fix;
        if (n.left != null && n.right != null) {
            Node<T> s = n.right;
            while (s.left != null) s = s.left;
            // unlink s (it has no left child), then put it in n's place
            fix = s.parent == n ? s : s.parent;
            if (s.parent != n) {
                replaceChild(s.parent, s, s.right);
                if (s.right != null) s.right.parent = s.parent;
                s.right = n.right;
                s.right.parent = s;
            }
            s.left = n.left;
            s.left.parent = s;
            replaceChild(n.parent, n, s);
            s.parent = n.parent;
        } else {
            Node<T> child = n.left != null ? n.left : n.right;
            replaceChild(n.parent, n, child);
            if (child != null) child.parent = n.parent;
            fix = n.parent;
        }
        n.left = n.right = n.parent = null;
        n.tree = null;
        size--;
        rebalanceUp(fix);
    }

    /** interval_tree_iter_first: the first node (in start order) that overlaps [start, last]. */
    public Node<T> iterFirst(long start, long last) {
        return first(root, start, last, null);
    }

    /** interval_tree_iter_next: the node after {@code node} (in start order) that overlaps [start, last]. */
    public Node<T> iterNext(Node<T> node, long start, long last) {
        if (node.tree != this) throw new IllegalStateException("iter_next from a node that is not in this tree");
        return first(root, start, last, node);
    }

    /**
     * Every node after {@code node}'s place (its start, then insertion order) that overlaps
     * [start, last], in start order: where a walk that lost its place in a tree changed under it
     * may resume (ItreeInvalidation). {@code node} may have left the tree since: its place is its
     * key, which it keeps.
     */
    public List<Node<T>> overlapsAfter(Node<T> node, long start, long last) {
        List<Node<T>> out = new ArrayList<>();
        for (Node<T> n : inOrder()) {
            if (keyCompare(n, node) <= 0) continue;
            if (Long.compareUnsigned(n.start, last) <= 0 && Long.compareUnsigned(n.last, start) >= 0) out.add(n);
        }
        return out;
    }

    public int size() { return size; }

    /** All nodes in start order (for the abstraction function and tests). */
    public List<Node<T>> inOrder() {
        List<Node<T>> out = new ArrayList<>(size);
        walk(root, out);
        return out;
    }

    /** Checks the AVL and augmentation invariants; for tests. */
    public void verify() {
        int[] count = {0};
        check(root, null, count);
        if (count[0] != size) throw new AssertionError("size " + size + " but " + count[0] + " nodes");
    }

    // ---------------------------------------------------------------------------------------

    private Node<T> first(Node<T> n, long qs, long ql, Node<T> after) {
        while (n != null) {
            if (Long.compareUnsigned(n.subtreeLast, qs) < 0) return null;   // nothing here reaches qs
            boolean nAfter = after == null || keyCompare(n, after) > 0;
            if (nAfter) {
                Node<T> r = first(n.left, qs, ql, after);
                if (r != null) return r;
                if (Long.compareUnsigned(n.start, ql) > 0) return null;     // n and all to its right start after ql
                if (Long.compareUnsigned(n.last, qs) >= 0) return n;
            }
            n = n.right;
        }
        return null;
    }

    private int keyCompare(Node<T> a, Node<T> b) {
        int c = Long.compareUnsigned(a.start, b.start);
        return c != 0 ? c : Long.compare(a.order, b.order);
    }

    private void replaceChild(Node<T> parent, Node<T> old, Node<T> now) {
        if (parent == null) root = now;
        else if (parent.left == old) parent.left = now;
        else parent.right = now;
    }

    private static int h(Node<?> n) { return n == null ? 0 : n.height; }

    private static <T> void update(Node<T> n) {
        n.height = 1 + Math.max(h(n.left), h(n.right));
        long m = n.last;
        if (n.left != null && Long.compareUnsigned(n.left.subtreeLast, m) > 0) m = n.left.subtreeLast;
        if (n.right != null && Long.compareUnsigned(n.right.subtreeLast, m) > 0) m = n.right.subtreeLast;
        n.subtreeLast = m;
    }

    private void rebalanceUp(Node<T> n) {
        while (n != null) {
            update(n);
            int bal = h(n.left) - h(n.right);
            if (bal > 1) {
                if (h(n.left.left) < h(n.left.right)) rotateLeft(n.left);
                n = rotateRight(n);
            } else if (bal < -1) {
                if (h(n.right.right) < h(n.right.left)) rotateRight(n.right);
                n = rotateLeft(n);
            }
            n = n.parent;
        }
    }

    private Node<T> rotateLeft(Node<T> x) {
        Node<T> y = x.right;
        x.right = y.left;
        if (y.left != null) y.left.parent = x;
        replaceChild(x.parent, x, y);
        y.parent = x.parent;
        y.left = x;
        x.parent = y;
        update(x);
        update(y);
        return y;
    }

    private Node<T> rotateRight(Node<T> x) {
        Node<T> y = x.left;
        x.left = y.right;
        if (y.right != null) y.right.parent = x;
        replaceChild(x.parent, x, y);
        y.parent = x.parent;
        y.right = x;
        x.parent = y;
        update(x);
        update(y);
        return y;
    }

    private void walk(Node<T> n, List<Node<T>> out) {
        if (n == null) return;
        walk(n.left, out);
        out.add(n);
        walk(n.right, out);
    }

    private long check(Node<T> n, Node<T> parent, int[] count) {
        if (n == null) return 0;
        count[0]++;
        if (n.parent != parent) throw new AssertionError("bad parent link");
        if (n.left != null && keyCompare(n.left, n) >= 0) throw new AssertionError("left key not smaller");
        if (n.right != null && keyCompare(n.right, n) <= 0) throw new AssertionError("right key not larger");
        long hl = check(n.left, n, count), hr = check(n.right, n, count);
        if (Math.abs(hl - hr) > 1) throw new AssertionError("unbalanced");
        if (n.height != 1 + Math.max(hl, hr)) throw new AssertionError("bad height");
        long m = n.last;
        if (n.left != null && Long.compareUnsigned(n.left.subtreeLast, m) > 0) m = n.left.subtreeLast;
        if (n.right != null && Long.compareUnsigned(n.right.subtreeLast, m) > 0) m = n.right.subtreeLast;
        if (m != n.subtreeLast) throw new AssertionError("bad subtree last");
        return n.height;
    }
}
