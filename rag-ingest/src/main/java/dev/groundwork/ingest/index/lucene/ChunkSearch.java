package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.lucene.search.Query;

/** A chunk search over one Lucene index, so that one BM25 retriever serves every index holding chunk docs. */
@FunctionalInterface
interface ChunkSearch {

    /**
     * @param bm25 whether to fill the BM25 rank (else the vector rank) of the results
     * @param score maps Lucene's score to the reported one
     * @return at most {@code n} chunks, best first, ties broken by chunk id
     */
    List<ScoredChunk> searchChunks(Query query, int n, boolean bm25, DoubleUnaryOperator score);
}
