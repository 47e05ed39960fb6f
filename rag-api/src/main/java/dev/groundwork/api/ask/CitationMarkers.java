package dev.groundwork.api.ask;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code [n]} markers of a generated answer into the answer's citations. The model numbers passages as
 * they were shown to it (1..n, best first); the client must see only the passages the answer actually cites, so
 * the cited ones are renumbered 1..m in order of first use and the markers rewritten to match.
 *
 * <p>Recognised markers: {@code [3]}, groups {@code [1, 3]} / {@code [1;3]} (one marker, several ids) and
 * adjacent markers {@code [1][3]}. A marker followed by {@code (} is a Markdown link, not a citation. Text inside
 * Markdown code ({@code `inline`} and fenced blocks) is left alone: {@code a[0]} there is an index, not a marker.
 * An id that names no passage ({@code [0]}, {@code [99]}) is removed from its marker and counted as dangling; a
 * marker left empty disappears together with the spaces before it. A repeated id inside one group is kept once.
 *
 * <p>Stateless and thread-safe.
 */
public final class CitationMarkers {

    /** {@code [n]} or {@code [n, m, ...]}; ids separated by commas or semicolons. */
    private static final Pattern MARKER = Pattern.compile("\\[\\s*(\\d+(?:\\s*[,;]\\s*\\d+)*)\\s*](?!\\()");
    /** Fenced blocks (to a closing fence or the end of a text cut short) and inline code spans. */
    private static final Pattern CODE = Pattern.compile("(?s)(```|~~~).*?(?:\\1|\\z)|`[^`\\n]*`");
    private static final int MAX_ID_DIGITS = 9;

    private final SnippetCutter snippets = new SnippetCutter();

    /**
     * The answer text with its markers renumbered, the citations they point to and the count of dangling ids.
     *
     * @param text the answer, markers rewritten so that ids are 1..m in order of first use
     * @param citations the cited passages, {@code citations.get(i).id() == i + 1}
     * @param danglingMarkers ids in the original text that named no passage (each occurrence counted)
     */
    public record Resolved(String text, List<Citation> citations, int danglingMarkers) {

        public Resolved {
            citations = List.copyOf(citations);
            if (danglingMarkers < 0) {
                throw new IllegalArgumentException("danglingMarkers must be >= 0, was " + danglingMarkers);
            }
        }
    }

    /**
     * @param text generated text whose markers number {@code passages} from 1
     * @param passages the passages as numbered in the prompt
     */
    public Resolved resolve(String text, List<ScoredChunk> passages) {
        List<int[]> code = codeSpans(text);
        Map<Integer, Integer> renumbered = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder(text.length());
        int dangling = 0;
        int copied = 0;
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            if (insideCode(code, m.start())) {
                continue;
            }
            List<Integer> ids = new ArrayList<>();
            for (String id : m.group(1).split("\\s*[,;]\\s*")) {
                int passage = id.length() > MAX_ID_DIGITS ? 0 : Integer.parseInt(id);
                if (passage < 1 || passage > passages.size()) {
                    dangling++;
                    continue;
                }
                int newId = renumbered.computeIfAbsent(passage, p -> renumbered.size() + 1);
                if (!ids.contains(newId)) {
                    ids.add(newId);
                }
            }
            out.append(text, copied, m.start());
            if (ids.isEmpty()) {
                stripTrailingSpaces(out);
            } else {
                out.append('[');
                for (int i = 0; i < ids.size(); i++) {
                    out.append(i == 0 ? "" : ", ").append(ids.get(i));
                }
                out.append(']');
            }
            copied = m.end();
        }
        out.append(text, copied, text.length());

        List<Citation> citations = new ArrayList<>();
        renumbered.forEach((passage, id) -> {
            ScoredChunk chunk = passages.get(passage - 1);
            citations.add(Citation.of(id, chunk, snippets.around(chunk.chunk().text(), 0, 0)));
        });
        return new Resolved(out.toString().strip(), citations, dangling);
    }

    /** The ids of the markers of {@code text} in order of appearance, as written (code spans skipped). */
    public static List<Integer> markerIds(String text) {
        List<int[]> code = codeSpans(text);
        List<Integer> ids = new ArrayList<>();
        Matcher m = MARKER.matcher(text);
        while (m.find()) {
            if (!insideCode(code, m.start())) {
                for (String id : m.group(1).split("\\s*[,;]\\s*")) {
                    ids.add(id.length() > MAX_ID_DIGITS ? 0 : Integer.parseInt(id));
                }
            }
        }
        return ids;
    }

    private static List<int[]> codeSpans(String text) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        return spans;
    }

    private static boolean insideCode(List<int[]> spans, int position) {
        for (int[] span : spans) {
            if (position >= span[0] && position < span[1]) {
                return true;
            }
        }
        return false;
    }

    private static void stripTrailingSpaces(StringBuilder out) {
        int end = out.length();
        while (end > 0 && (out.charAt(end - 1) == ' ' || out.charAt(end - 1) == '\t')) {
            end--;
        }
        out.setLength(end);
    }
}
