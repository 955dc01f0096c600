package dev.mmucheck.diagram;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of Mermaid's sequence-diagram grammar the diagrams use, checked line by line: participants
 * declared before use, messages {@code A->>B: text}, notes {@code Note over A[,B]: text}, {@code rect rgb(..)}
 * and {@code loop text} blocks each closed by {@code end}. Label text must not hold what Mermaid's lexer
 * reads as the end of a statement or an entity ({@code ;}, {@code #} outside an entity {@code #name;}), a
 * comment ({@code %%}), or HTML other than {@code <br/>}. {@link #problems} lists each fault with its line.
 */
final class MermaidSyntax {
    private MermaidSyntax() {}

    private static final Pattern PARTICIPANT = Pattern.compile("participant ([A-Za-z][A-Za-z0-9_]*) as (.+)");
    private static final Pattern MESSAGE = Pattern.compile("([A-Za-z][A-Za-z0-9_]*)->>([A-Za-z][A-Za-z0-9_]*): (.+)");
    private static final Pattern NOTE = Pattern.compile("Note over ([A-Za-z][A-Za-z0-9_]*)(?:,([A-Za-z][A-Za-z0-9_]*))?: (.+)");
    private static final Pattern RECT = Pattern.compile("rect rgb\\(\\d{1,3}, ?\\d{1,3}, ?\\d{1,3}\\)");
    private static final Pattern LOOP = Pattern.compile("loop (.+)");
    private static final Pattern ENTITY = Pattern.compile("#(?:[0-9]+|[a-z]+);");

    /** The Mermaid block of a Markdown page (between ```mermaid and ```), or null. */
    static String block(String page) {
        Matcher m = Pattern.compile("(?s)```mermaid\n(.*?)```").matcher(page);
        return m.find() ? m.group(1) : null;
    }

    /** The participants a block declares, in order. */
    static List<String> participants(String block) {
        List<String> out = new ArrayList<>();
        for (String line : block.split("\n")) {
            Matcher m = PARTICIPANT.matcher(line.strip());
            if (m.matches()) out.add(m.group(1));
        }
        return out;
    }

    /** Every fault of {@code block}, one line each naming its line number; empty if it is well formed. */
    static List<String> problems(String block) {
        List<String> out = new ArrayList<>();
        String[] lines = block.split("\n", -1);
        Set<String> declared = new LinkedHashSet<>();
        int depth = 0, n = 0;
        boolean header = false, declaring = true;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty()) continue;
            if (!header) {
                if (!line.equals("sequenceDiagram")) out.add("line " + n + ": expected sequenceDiagram first");
                header = true;
                continue;
            }
            Matcher m;
            String text = null;
            if ((m = PARTICIPANT.matcher(line)).matches()) {
                if (!declaring) out.add("line " + n + ": participant " + m.group(1) + " declared after the first step");
                if (!declared.add(m.group(1))) out.add("line " + n + ": participant " + m.group(1) + " declared twice");
                text = m.group(2);
            } else if ((m = MESSAGE.matcher(line)).matches()) {
                declaring = false;
                use(declared, m.group(1), n, out);
                use(declared, m.group(2), n, out);
                text = m.group(3);
            } else if ((m = NOTE.matcher(line)).matches()) {
                declaring = false;
                use(declared, m.group(1), n, out);
                if (m.group(2) != null) use(declared, m.group(2), n, out);
                text = m.group(3);
            } else if (RECT.matcher(line).matches()) {
                depth++;
            } else if ((m = LOOP.matcher(line)).matches()) {
                depth++;
                text = m.group(1);
            } else if (line.equals("end")) {
                if (--depth < 0) out.add("line " + n + ": end without an open rect or loop");
            } else {
                out.add("line " + n + ": not a statement of the diagrams: " + line);
            }
            if (text != null) {
                String bare = ENTITY.matcher(text.replace("<br/>", "")).replaceAll("");
                for (String bad : List.of(";", "#", "%%", "<", ">"))
                    if (bare.contains(bad)) out.add("line " + n + ": '" + bad + "' in label text: " + text);
            }
        }
        if (depth > 0) out.add("end of block: " + depth + " rect/loop block(s) not closed");
        return out;
    }

    private static void use(Set<String> declared, String id, int n, List<String> out) {
        if (!declared.contains(id)) out.add("line " + n + ": participant " + id + " used but not declared");
    }
}
