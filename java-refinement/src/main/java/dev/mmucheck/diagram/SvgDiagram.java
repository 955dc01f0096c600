package dev.mmucheck.diagram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence diagram drawn as SVG by the project itself (no Graphviz, no mermaid-cli): the lanes as
 * headed columns with dashed lifelines, each {@link Item} in its own row (a message as an arrow with its
 * text above, a note as a yellow box over its lanes), the breaking step's box in red and a lasso's loop as
 * a framed block. Text is monospaced and wrapped to its column, so widths are computed, not measured.
 *
 * @param lanes the lanes, left to right
 * @param items the statements, top to bottom
 */
public record SvgDiagram(List<Lane> lanes, List<Item> items) {
    static final int LANE = 250, MARGIN = 20, LINE = 14, FONT = 11;
    static final double CHAR = 6.7;
    /** The fill of the breaking step's box. */
    public static final String BREAK_FILL = "#ffdddd";
    /** The fill of the box of the step that reaches a correct run's goal. */
    public static final String GOAL_FILL = "#ddffdd";

    public String svg() {
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < lanes.size(); i++) col.put(lanes.get(i).id(), i);
        int width = 2 * MARGIN + lanes.size() * LANE;
        StringBuilder back = new StringBuilder(), front = new StringBuilder();
        int headLines = 1;
        for (Lane l : lanes) headLines = Math.max(headLines, wrap(List.of(l.label().split("\n")), LANE - 20).size());
        int headH = headLines * LINE + 12, y = MARGIN;
        for (Lane l : lanes) {
            int x = MARGIN + col.get(l.id()) * LANE + 8;
            front.append(rect(x, y, LANE - 16, headH, "#eaeaf8", "#555"));
            text(front, wrap(List.of(l.label().split("\n")), LANE - 20), x + (LANE - 16) / 2, y + LINE, "middle");
        }
        y += headH + 16;
        int lifeTop = y - 16;
        Deque<int[]> open = new ArrayDeque<>();
        int rowTop = -1;
        java.util.BitSet rowCols = new java.util.BitSet();
        Deque<Item.Open> openItems = new ArrayDeque<>();
        for (Item item : items) {
            if (!(item instanceof Item.Note note && note.ofStep())) rowTop = -1;
            if (item instanceof Item.Message m) {
                int a = col.get(m.from()), b = col.get(m.to());
                int xa = center(a), xb = center(b);
                List<String> lines = wrap(m.lines(), Math.max(LANE, Math.abs(xb - xa)) - 10);
                text(front, lines, (xa + xb) / 2, y + LINE - 2, "middle");
                y += lines.size() * LINE + 4;
                front.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" marker-end=\"url(#arrow)\"/>%n",
                        xa, y, xb + (xb > xa ? -3 : 3), y));
                y += 12;
            } else if (item instanceof Item.Note n) {
                int a = Math.min(col.get(n.from()), col.get(n.to())), b = Math.max(col.get(n.from()), col.get(n.to()));
                int x0 = MARGIN + a * LANE + 12, w = (b - a + 1) * LANE - 24;
                List<String> lines = wrap(n.lines(), w - 10);
                int h = lines.size() * LINE + 8;
                // notes over lanes apart share a row (the changes of one step side by side)
                if (rowTop < 0 || rowCols.get(a, b + 1).cardinality() > 0) {
                    rowTop = y;
                    rowCols.clear();
                }
                rowCols.set(a, b + 1);
                front.append(rect(x0, rowTop, w, h, "#fff8c4", "#b8a640"));
                text(front, lines, x0 + 5, rowTop + LINE, "start");
                y = Math.max(y, rowTop + h + 8);
            } else if (item instanceof Item.Open o) {
                open.push(new int[] {y, open.size()});
                openItems.push(o);
                y += o.box() == Item.Box.LOOP ? LINE + 10 : 6;
            } else {
                int[] start = open.pop();
                Item.Open o = openItems.pop();
                int inset = 4 + 6 * start[1];
                int x0 = MARGIN + inset, w = width - 2 * MARGIN - 2 * inset;
                if (o.box() == Item.Box.BREAK) {
                    back.append(rect(x0, start[0], w, y - start[0] + 2, BREAK_FILL, "#cc3333"));
                } else if (o.box() == Item.Box.GOAL) {
                    back.append(rect(x0, start[0], w, y - start[0] + 2, GOAL_FILL, "#339933"));
                } else {
                    front.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#555\" stroke-dasharray=\"5,3\"/>%n",
                            x0, start[0], w, y - start[0]));
                    text(front, List.of("loop: " + o.label()), x0 + 6, start[0] + LINE, "start");
                }
                y += 8;
            }
        }
        for (int i = 0; i < lanes.size(); i++)
            back.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4,4\"/>%n",
                    center(i), lifeTop, center(i), y));
        int height = y + MARGIN;
        return String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"monospace\" font-size=\"%d\">%n", width, height, width, height, FONT)
                + "<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\">"
                + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs>\n"
                + String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height)
                + back + front + "</svg>\n";
    }

    private static int center(int col) { return MARGIN + col * LANE + LANE / 2; }

    private static String rect(int x, int y, int w, int h, String fill, String stroke) {
        return String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\" stroke=\"%s\"/>%n", x, y, w, h, fill, stroke);
    }

    private static void text(StringBuilder out, List<String> lines, int x, int y, String anchor) {
        for (int i = 0; i < lines.size(); i++)
            out.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>%n", x, y + i * LINE, anchor, xml(lines.get(i))));
    }

    /** Lines broken at spaces to fit {@code px} pixels of monospaced text (a word longer than that is cut). */
    static List<String> wrap(List<String> lines, int px) {
        int max = Math.max(10, (int) (px / CHAR));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String rest = line;
            while (rest.length() > max) {
                int cut = rest.lastIndexOf(' ', max);
                if (cut <= 0) cut = max;
                out.add(rest.substring(0, cut));
                rest = rest.substring(cut).stripLeading();
            }
            out.add(rest);
        }
        return out;
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
