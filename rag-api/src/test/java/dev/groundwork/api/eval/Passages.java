package dev.groundwork.api.eval;

import dev.groundwork.api.ask.Answer;
import dev.groundwork.api.ask.Citation;
import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.List;

/** Tiny passages and answers for evaluation tests. */
final class Passages {

    private Passages() {
    }

    static ScoredChunk passage(String source, String text) {
        return new ScoredChunk(new Chunk(source + "#0", "doc-" + source, "c", source, source, List.of(), null, 0,
                text.length(), text, List.of(), 0), 1, null, null);
    }

    /** An answer citing the given passages as [1]..[n], with a short snippet (not the full text). */
    static QuestionAnswerer.Answered answered(String text, int dangling, ScoredChunk... cited) {
        List<Citation> citations = new ArrayList<>();
        for (int i = 0; i < cited.length; i++) {
            citations.add(Citation.of(i + 1, cited[i], "snippet"));
        }
        return new QuestionAnswerer.Answered(new Answer(text, citations, "fake", dangling, null), List.of(cited));
    }
}
