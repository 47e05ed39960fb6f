package dev.groundwork.api.eval;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collapses a ranked list of chunks into a ranked list of distinct documents (first occurrence wins), the unit
 * at which gold labels are given.
 */
final class RankedDocuments {

    private RankedDocuments() {
    }

    /** @return at most {@code k} distinct document keys (source path and document id both kept for matching) */
    static List<DocumentKey> of(List<ScoredChunk> chunks, int k) {
        Set<String> seen = new LinkedHashSet<>();
        List<DocumentKey> out = new ArrayList<>();
        for (ScoredChunk hit : chunks) {
            if (out.size() == k) {
                break;
            }
            if (seen.add(hit.chunk().documentId())) {
                out.add(new DocumentKey(hit.chunk().documentId(), hit.chunk().source()));
            }
        }
        return out;
    }

    /** A retrieved document, matched against gold labels by either its id or its source path. */
    record DocumentKey(String documentId, String source) {

        boolean matches(Set<String> gold) {
            return gold.contains(documentId) || gold.contains(source);
        }
    }
}
