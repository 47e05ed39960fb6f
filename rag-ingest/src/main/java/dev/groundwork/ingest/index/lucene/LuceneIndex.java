package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.model.embed.Embedder;
import java.nio.file.Path;

/**
 * The embedded store: one Lucene index per data folder. TODO(skeleton): implementation lands with the index work.
 */
public abstract class LuceneIndex implements DocumentIndex {

    /** Opens (creating if needed) the index under {@code dataDir/index}. */
    public static LuceneIndex open(Path dataDir) {
        throw new UnsupportedOperationException("not yet");
    }

    /** BM25 over chunk text. */
    public abstract Retriever bm25Retriever();

    /** HNSW cosine search; queries are embedded with {@code embedder}. */
    public abstract Retriever vectorRetriever(Embedder embedder);
}
