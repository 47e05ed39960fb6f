package dev.groundwork.ingest.retrieve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three ways a store can be searched, side by side, so that evaluation and benchmarks compare them on the
 * same index: lexical BM25, dense vectors, and their fusion.
 */
public record RetrievalModes(Retriever bm25, Retriever vector, Retriever hybrid) {

    public static final List<String> NAMES = List.of("bm25", "vector", "hybrid");

    /** BM25 and vector retrievers of one store, fused by {@link HybridRetriever}. */
    public static RetrievalModes of(Retriever bm25, Retriever vector, FusionOptions fusion) {
        return new RetrievalModes(bm25, vector, new HybridRetriever(bm25, vector, fusion));
    }

    /**
     * @param names mode names out of {@link #NAMES}, in the order wanted
     * @throws IllegalArgumentException naming an unknown mode
     */
    public Map<String, Retriever> select(List<String> names) {
        Map<String, Retriever> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, switch (name) {
                case "bm25" -> bm25;
                case "vector" -> vector;
                case "hybrid" -> hybrid;
                default -> throw new IllegalArgumentException("unknown retrieval mode '" + name + "'; known: " + NAMES);
            });
        }
        return out;
    }
}
