package dev.groundwork.api.support;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stands in for the hybrid retriever: scores chunks of an {@link InMemoryIndex} by how many query words they
 * contain (ties by chunk id), fills {@code bm25Rank} with the rank and leaves {@code vectorRank} to odd ranks
 * only, so tests can see both fields travel. Remembers the last query.
 */
public final class KeywordRetriever implements Retriever {

    private final InMemoryIndex index;
    private volatile RetrievalQuery lastQuery;

    public KeywordRetriever(InMemoryIndex index) {
        this.index = index;
    }

    public RetrievalQuery lastQuery() {
        return lastQuery;
    }

    public void forget() {
        lastQuery = null;
    }

    @Override
    public List<ScoredChunk> retrieve(RetrievalQuery query) {
        lastQuery = query;
        Set<String> words = words(query.text());
        record Hit(Chunk chunk, int matches) { }
        List<Hit> hits = new ArrayList<>();
        for (Chunk chunk : index.chunks()) {
            if (query.collection() != null && !query.collection().equals(chunk.collection())) {
                continue;
            }
            Set<String> chunkWords = words(chunk.text());
            int matches = (int) words.stream().filter(chunkWords::contains).count();
            if (matches > 0) {
                hits.add(new Hit(chunk, matches));
            }
        }
        hits.sort(Comparator.comparingInt((Hit h) -> -h.matches()).thenComparing(h -> h.chunk().id()));
        List<ScoredChunk> results = new ArrayList<>();
        for (Hit hit : hits.subList(0, Math.min(query.k(), hits.size()))) {
            int rank = results.size() + 1;
            results.add(new ScoredChunk(hit.chunk(), hit.matches() / (double) rank, rank,
                    rank % 2 == 1 ? rank : null));
        }
        return results;
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> w.length() > 2).collect(Collectors.toSet());
    }
}
