package dev.groundwork.api.ask;

import java.util.List;

/**
 * A worked example shown to the model before the real question, as a prior user turn (passages and question)
 * and an assistant turn (the ideal cited answer). It teaches the citation format by showing it.
 *
 * @param question the example question
 * @param passages the example passages, numbered [1].. in the order given
 * @param answer the ideal answer, citing the passages as {@code [n]}
 */
public record FewShotExample(String question, List<Passage> passages, String answer) {

    public FewShotExample {
        requireText(question, "question");
        requireText(answer, "answer");
        if (passages == null || passages.isEmpty()) {
            throw new IllegalArgumentException("a few-shot example needs at least one passage");
        }
        passages = List.copyOf(passages);
        for (int id : CitationMarkers.markerIds(answer)) {
            if (id < 1 || id > passages.size()) {
                throw new IllegalArgumentException("the example answer cites [" + id + "] but the example has "
                        + passages.size() + " passage(s): " + answer);
            }
        }
    }

    /**
     * One example passage.
     *
     * @param title document title
     * @param headingPath section headings, e.g. {@code "Install > Linux"}; may be {@code null} or empty
     * @param page 1-based page, or {@code null}
     * @param text the passage text
     */
    public record Passage(String title, String headingPath, Integer page, String text) {

        public Passage {
            requireText(title, "passage title");
            requireText(text, "passage text");
            headingPath = headingPath == null ? "" : headingPath;
        }
    }

    /** The built-in example: fictional, short, with one passage that answers and one that does not. */
    public static FewShotExample builtIn() {
        return new FewShotExample("When does the first ferry leave Larkspur on Sundays, and when is the last return?",
                List.of(new Passage("Larkspur Ferry Timetable", "Weekend service", 2,
                                "On Sundays the first ferry leaves Larkspur at 09:15. The last return trip departs "
                                        + "from Eastholm at 18:40. Bicycles travel free of charge."),
                        new Passage("Harbour Café", "", null,
                                "The harbour café opens at 08:00 every day and serves breakfast until 11:00.")),
                "On Sundays the first ferry leaves Larkspur at 09:15 [1]. The last return trip departs from Eastholm "
                        + "at 18:40 [1].");
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("few-shot example " + field + " must not be blank");
        }
    }
}
