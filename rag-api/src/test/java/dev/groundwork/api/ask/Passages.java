package dev.groundwork.api.ask;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.List;

/** Retrieved passages for answerer tests: one chunk per text, named p1.md, p2.md... ranked in the order given. */
final class Passages {

    private Passages() {
    }

    static List<ScoredChunk> of(String... texts) {
        List<ScoredChunk> passages = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            String source = "p" + (i + 1) + ".md";
            Chunk chunk = new Chunk(source + "#0", "doc-" + source, "default", source, "Title " + (i + 1),
                    List.of("Part " + (i + 1)), i % 2 == 0 ? null : i + 1, 0, texts[i].length(), texts[i], List.of(),
                    0);
            passages.add(new ScoredChunk(chunk, 1.0 / (i + 1), i + 1, null));
        }
        return passages;
    }
}
