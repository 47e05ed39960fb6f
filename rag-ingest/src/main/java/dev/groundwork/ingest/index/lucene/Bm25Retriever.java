package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.retrieve.RetrievalQuery;
import dev.groundwork.ingest.retrieve.Retriever;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.QueryBuilder;

/**
 * BM25 over the English and the Chinese text field of a {@link LuceneIndex} or a {@link Bm25Mirror}.
 *
 * <p>The query is analysed for both fields and either may match, rather than picking one field by the query's
 * script: a Latin-script query (a product name, an API) must still find Chinese chunks that mention it, and
 * SmartChineseAnalyzer indexes Latin words too. The query text is never parsed as Lucene syntax, so any user
 * input is safe. Thread-safe.
 */
final class Bm25Retriever implements Retriever {

    private final ChunkSearch index;
    private final QueryBuilder queries;

    Bm25Retriever(ChunkSearch index, Analyzer analyzer) {
        this.index = index;
        this.queries = new QueryBuilder(analyzer);
    }

    @Override
    public List<ScoredChunk> retrieve(RetrievalQuery query) {
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        boolean any = false;
        try {
            for (String field : List.of(LuceneDocuments.TEXT_EN, LuceneDocuments.TEXT_ZH)) {
                Query q = queries.createBooleanQuery(field, query.text());
                if (q != null) {
                    text.add(q, BooleanClause.Occur.SHOULD);
                    any = true;
                }
            }
            if (!any) {
                return List.of(); // only stop words or punctuation
            }
            Query full = new BooleanQuery.Builder()
                    .add(text.build(), BooleanClause.Occur.MUST)
                    .add(LuceneIndex.chunkFilter(query.collection()), BooleanClause.Occur.FILTER)
                    .build();
            return index.searchChunks(full, query.k(), true, score -> score);
        } catch (IndexSearcher.TooManyClauses e) {
            throw new IllegalArgumentException("the query has too many words for keyword search (at most "
                    + IndexSearcher.getMaxClauseCount() + " terms); shorten it", e);
        }
    }
}
