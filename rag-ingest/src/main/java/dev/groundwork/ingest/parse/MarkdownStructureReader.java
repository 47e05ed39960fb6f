package dev.groundwork.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the block structure of Markdown text: ATX ({@code #}..{@code ######}) and setext ({@code ===},
 * {@code ---}) headings, paragraphs separated by blank lines, list items, table rows and fenced code blocks
 * (kept whole, with their fences, as one body block; a {@code #} inside them is code, not a heading). A YAML
 * front matter {@code title:} is reported as the title. Inline markup is left as written.
 *
 * <p>Hand-written on purpose: Tika reads Markdown as plain text, and chunking needs only block boundaries, so a
 * full CommonMark library (with its own AST and offsets to map back) would add a dependency for little gain.
 * Stateless and thread-safe.
 */
final class MarkdownStructureReader {

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern SETEXT_1 = Pattern.compile("^ {0,3}=+[ \\t]*$");
    private static final Pattern SETEXT_2 = Pattern.compile("^ {0,3}-{2,}[ \\t]*$");
    private static final Pattern THEMATIC_BREAK = Pattern.compile("^ {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^[ \\t]*(?:[-*+]|\\d{1,9}[.)])[ \\t]+(.*)$");
    private static final Pattern TABLE_SEPARATOR = Pattern.compile("^\\|?[ \\t]*:?-+:?[ \\t]*(?:\\|[ \\t]*:?-+:?[ \\t]*)*\\|?[ \\t]*$");
    private static final Pattern BLOCKQUOTE = Pattern.compile("^ {0,3}>[ ]?");
    private static final Pattern FRONT_MATTER_TITLE = Pattern.compile("^title:[ \\t]*(.*?)[ \\t]*$");

    /**
     * Adds the blocks of {@code source} to {@code builder}.
     *
     * @return the front matter title, or {@code null} when there is none
     */
    String read(String source, StructuredTextBuilder builder) {
        String[] lines = source.split("\r\n|\r|\n", -1);
        String title = null;
        int i = 0;
        int frontMatterEnd = frontMatterEnd(lines);
        if (frontMatterEnd > 0) {
            for (int j = 1; j < frontMatterEnd; j++) {
                Matcher m = FRONT_MATTER_TITLE.matcher(lines[j]);
                if (m.matches() && title == null) {
                    title = m.group(1).replaceAll("^([\"'])(.*)\\1$", "$2");
                }
            }
            i = frontMatterEnd + 1;
        }
        List<String> paragraph = new ArrayList<>();
        for (; i < lines.length; i++) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                flush(paragraph, builder);
                i = readFence(lines, i, fence.group(1), builder);
                continue;
            }
            if (line.isBlank()) {
                flush(paragraph, builder);
                continue;
            }
            Matcher atx = ATX.matcher(line);
            if (atx.matches()) {
                flush(paragraph, builder);
                builder.addHeading(atx.group(1).length(), atx.group(2) == null ? "" : atx.group(2), null);
                continue;
            }
            boolean setext1 = SETEXT_1.matcher(line).matches();
            if ((setext1 || SETEXT_2.matcher(line).matches()) && isParagraph(paragraph)) {
                builder.addHeading(setext1 ? 1 : 2, String.join(" ", paragraph), null);
                paragraph.clear();
                continue;
            }
            if (THEMATIC_BREAK.matcher(line).matches()) {
                flush(paragraph, builder);
                continue;
            }
            Matcher item = LIST_ITEM.matcher(line);
            if (item.matches()) {
                flush(paragraph, builder);
                // A leading NUL marks the buffer as a list item, which setext underlines must not turn into headings.
                paragraph.add("\u0000" + item.group(1));
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.startsWith("|")) {
                flush(paragraph, builder);
                if (!TABLE_SEPARATOR.matcher(trimmed).matches()) {
                    builder.addBody(tableRow(trimmed), null);
                }
                continue;
            }
            paragraph.add(BLOCKQUOTE.matcher(line).replaceFirst(""));
        }
        flush(paragraph, builder);
        return title;
    }

    private static int frontMatterEnd(String[] lines) {
        if (lines.length < 3 || !lines[0].equals("---")) {
            return -1;
        }
        for (int j = 1; j < lines.length && j < 200; j++) {
            if (lines[j].equals("---") || lines[j].equals("...")) {
                return j > 1 && lines[1].matches("^[A-Za-z_][\\w-]*:.*") ? j : -1;
            }
        }
        return -1;
    }

    /** Reads a fenced code block starting at line {@code open}; returns the index of its closing line. */
    private static int readFence(String[] lines, int open, String fence, StructuredTextBuilder builder) {
        StringBuilder code = new StringBuilder(lines[open]);
        Pattern close = Pattern.compile("^ {0,3}" + Pattern.quote(fence.substring(0, 1)) + "{" + fence.length()
                + ",}[ \\t]*$");
        int i = open + 1;
        for (; i < lines.length; i++) {
            code.append('\n').append(lines[i]);
            builder.ensureRoom(code.length());
            if (close.matcher(lines[i]).matches()) {
                break;
            }
        }
        builder.addPreformatted(code, null);
        return Math.min(i, lines.length - 1);
    }

    private static boolean isParagraph(List<String> paragraph) {
        return !paragraph.isEmpty() && !paragraph.get(0).startsWith("\u0000");
    }

    private static String tableRow(String line) {
        String inner = line.replaceAll("^\\|", "").replaceAll("\\|[ \\t]*$", "");
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("(?<!\\\\)\\|", -1)) {
            cells.add(cell.strip());
        }
        return String.join(" | ", cells);
    }

    private static void flush(List<String> paragraph, StructuredTextBuilder builder) {
        if (!paragraph.isEmpty()) {
            builder.addBody(String.join("\n", paragraph), null);
            paragraph.clear();
        }
    }
}
