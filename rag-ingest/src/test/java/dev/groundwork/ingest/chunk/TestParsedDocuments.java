package dev.groundwork.ingest.chunk;

import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.ingest.parse.TextBlock;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.ArrayList;
import java.util.List;

/** Builds parsed documents by hand, as a parser would, and a counter whose counts a test can work out. */
final class TestParsedDocuments {

    /** One token per whitespace-separated word, and one per Han character (as BERT tokenizers do). */
    static final TokenCounter WORDS = text -> {
        String spaced = text.replaceAll("(\\p{IsHan})", " $1 ").strip();
        return spaced.isEmpty() ? 0 : spaced.split("\\s+").length;
    };

    private TestParsedDocuments() {
    }

    /** Entries {@code "#2 Title"} are level-2 headings, {@code "@3 text"} a body block on page 3, others body. */
    static ParsedDocument document(String... entries) {
        StringBuilder text = new StringBuilder();
        List<TextBlock> blocks = new ArrayList<>();
        for (String entry : entries) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            int start = text.length();
            if (entry.startsWith("#")) {
                text.append(entry.substring(3));
                blocks.add(new TextBlock(TextBlock.Kind.HEADING, entry.charAt(1) - '0', start, text.length(), null));
            } else if (entry.startsWith("@")) {
                int space = entry.indexOf(' ');
                text.append(entry.substring(space + 1));
                blocks.add(new TextBlock(TextBlock.Kind.BODY, 0, start, text.length(),
                        Integer.parseInt(entry.substring(1, space))));
            } else {
                text.append(entry);
                blocks.add(new TextBlock(TextBlock.Kind.BODY, 0, start, text.length(), null));
            }
        }
        return new ParsedDocument("Test Document", text.toString(), blocks, "text/plain");
    }

    /** A paragraph of {@code count} sentences "Sn has w words ..." of {@code words} words each, numbered from {@code from}. */
    static String sentences(int from, int count, int words) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            out.append(out.isEmpty() ? "" : " ").append("S").append(i);
            for (int w = 1; w < words; w++) {
                out.append(w == words - 1 ? " end." : " word");
            }
        }
        return out.toString();
    }
}
