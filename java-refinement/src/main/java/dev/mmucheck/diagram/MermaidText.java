package dev.mmucheck.diagram;

/**
 * Text made safe for a Mermaid sequence diagram's message, note, loop or participant label. Mermaid's
 * sequence grammar ends a statement at a newline or {@code ;} and reads {@code #...;} as a character
 * entity, so {@code #} and {@code ;} are written as the entities {@code #35;} and {@code #59;}; {@code <}
 * and {@code >} as {@code #lt;} and {@code #gt;} (the renderer would take them for HTML), {@code %} as
 * {@code #37;} (a {@code %%} starts a comment), and line breaks as {@code <br/>}, the one tag this
 * package writes itself.
 */
public final class MermaidText {
    private MermaidText() {}

    /** The line break inside a label. */
    public static final String BR = "<br/>";

    /** {@code text} as one line of Mermaid label text, lines joined by {@link #BR}. */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '#' -> b.append("#35;");
                case ';' -> b.append("#59;");
                case '%' -> b.append("#37;");
                case '<' -> b.append("#lt;");
                case '>' -> b.append("#gt;");
                case '\r' -> { }
                case '\n' -> b.append(BR);
                default -> b.append(c);
            }
        }
        return b.toString().strip();
    }

    /** Lines escaped and joined by {@link #BR}. */
    public static String lines(java.util.List<String> lines) {
        return String.join(BR, lines.stream().map(MermaidText::escape).toList());
    }
}
