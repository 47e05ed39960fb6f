package dev.groundwork.api.ask;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers by quoting: picks the few sentences of the passages that best cover the question's terms and cites the
 * passage of each. It never writes anything the documents do not say, which makes it the honest stand-in until a
 * local LLM answers.
 *
 * <p>Each sentence is scored by the share of the question's terms it contains, each term weighted by how rare it
 * is among the candidate sentences (so the words that single out the answer count most). Up to
 * {@value #MAX_SENTENCES} sentences are kept that score at least {@value #MIN_COVERAGE} and at least
 * {@value #RELATIVE_CUTOFF} of the best score; they are quoted in passage-rank order, each followed by {@code [n]}.
 * Repeated sentences (chunks overlap) are quoted once, from the best-ranked passage. With no such sentence the
 * answer is {@link #NO_ANSWER} without citations. Deterministic; thread-safe.
 */
public final class ExtractiveAnswerer implements Answerer {

    /** The answer when no passage supports one. */
    public static final String NO_ANSWER = "I could not find an answer in the documents.";

    static final int MAX_SENTENCES = 3;
    static final double MIN_COVERAGE = 0.5;
    static final double RELATIVE_CUTOFF = 0.75;
    private static final int MAX_SENTENCE_CHARS = 400;
    private static final Pattern BLANK_LINE = Pattern.compile("\\n[ \\t]*\\n\\s*");

    private final TermNormaliser normaliser = new TermNormaliser();
    private final SnippetCutter snippets = new SnippetCutter();

    @Override
    public String name() {
        return "extractive";
    }

    @Override
    public Answer answer(String question, List<ScoredChunk> passages) {
        Set<String> questionTerms = new LinkedHashSet<>(normaliser.terms(question));
        List<Sentence> sentences = sentencesOf(passages);
        if (questionTerms.isEmpty() || sentences.isEmpty()) {
            return noAnswer();
        }
        Map<String, Double> weights = weights(questionTerms, sentences);
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Sentence> ranked = new ArrayList<>();
        for (Sentence s : sentences) {
            double matched = 0;
            for (String term : questionTerms) {
                if (s.terms.contains(term)) {
                    matched += weights.get(term);
                }
            }
            s.score = matched / total;
            ranked.add(s);
        }
        ranked.sort(Comparator.comparingDouble((Sentence s) -> -s.score)
                .thenComparingInt(s -> s.passage)
                .thenComparingInt(s -> s.start));
        double best = ranked.get(0).score;
        if (best < MIN_COVERAGE) {
            return noAnswer();
        }
        List<Sentence> chosen = ranked.stream()
                .filter(s -> s.score >= Math.max(MIN_COVERAGE, best * RELATIVE_CUTOFF))
                .limit(MAX_SENTENCES)
                .sorted(Comparator.comparingInt((Sentence s) -> s.passage).thenComparingInt(s -> s.start))
                .toList();
        return compose(chosen, passages);
    }

    private Answer compose(List<Sentence> chosen, List<ScoredChunk> passages) {
        Map<Integer, Citation> citations = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (Sentence s : chosen) {
            Citation citation = citations.computeIfAbsent(s.passage, p -> {
                ScoredChunk passage = passages.get(p);
                return Citation.of(citations.size() + 1, passage,
                        snippets.around(passage.chunk().text(), s.start, s.end));
            });
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(s.text).append(" [").append(citation.id()).append(']');
        }
        return new Answer(text.toString(), List.copyOf(citations.values()), name());
    }

    private Answer noAnswer() {
        return new Answer(NO_ANSWER, List.of(), name());
    }

    /**
     * The sentences of every passage. A blank line ends a sentence too: headings and list items extracted from PDFs
     * and Word files carry no full stop, and would otherwise be glued to the sentence after them.
     */
    private List<Sentence> sentencesOf(List<ScoredChunk> passages) {
        List<Sentence> sentences = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        BreakIterator boundaries = BreakIterator.getSentenceInstance(Locale.ROOT);
        for (int p = 0; p < passages.size(); p++) {
            String text = passages.get(p).chunk().text();
            Matcher blankLine = BLANK_LINE.matcher(text);
            for (int from = 0; from < text.length(); ) {
                boolean more = blankLine.find(from);
                int to = more ? blankLine.start() : text.length();
                addSentences(text, from, to, p, boundaries, seen, sentences);
                from = more ? blankLine.end() : text.length();
            }
        }
        return sentences;
    }

    private void addSentences(String text, int from, int to, int passage, BreakIterator boundaries, Set<String> seen,
            List<Sentence> sentences) {
        boundaries.setText(text.substring(from, to));
        for (int start = boundaries.first(), end = boundaries.next(); end != BreakIterator.DONE;
                start = end, end = boundaries.next()) {
            String sentence = SnippetCutter.collapse(text.substring(from + start, from + end));
            if (sentence.isEmpty() || !seen.add(sentence)) {
                continue;
            }
            Set<String> terms = new HashSet<>(normaliser.terms(sentence));
            if (!terms.isEmpty()) {
                sentences.add(new Sentence(passage, from + start, from + end,
                        SnippetCutter.cut(sentence, MAX_SENTENCE_CHARS), terms));
            }
        }
    }

    /**
     * Rarer terms weigh more: ln(1 + N / (df + 1)), N the number of candidate sentences. A term that no candidate
     * contains ("EU" asked, "European Union" written) cannot tell sentences apart: it weighs as little as a term
     * found in every sentence, so a wording mismatch lowers the coverage a little instead of vetoing the answer.
     */
    private static Map<String, Double> weights(Set<String> questionTerms, List<Sentence> sentences) {
        Map<String, Double> weights = new HashMap<>();
        int n = sentences.size();
        for (String term : questionTerms) {
            long df = sentences.stream().filter(s -> s.terms.contains(term)).count();
            weights.put(term, Math.log(1.0 + (double) n / ((df == 0 ? n : df) + 1)));
        }
        return weights;
    }

    private static final class Sentence {
        final int passage;
        final int start;
        final int end;
        final String text;
        final Set<String> terms;
        double score;

        Sentence(int passage, int start, int end, String text, Set<String> terms) {
            this.passage = passage;
            this.start = start;
            this.end = end;
            this.text = text;
            this.terms = terms;
        }
    }
}
