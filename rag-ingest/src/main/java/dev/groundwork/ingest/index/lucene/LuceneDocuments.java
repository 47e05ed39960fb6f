package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.chunk.Chunk;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.index.StoredFields;
import java.util.function.DoubleUnaryOperator;
import java.io.IOException;
import dev.groundwork.ingest.retrieve.ScoredChunk;
import dev.groundwork.ingest.index.EmbeddedChunk;
import dev.groundwork.ingest.index.IndexedDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/**
 * The mapping between Groundwork's records and Lucene documents, and the index's field names.
 *
 * <p>A document is stored as one block: a metadata doc ({@code kind=document}) followed by one doc per chunk
 * ({@code kind=chunk}), all carrying the {@code doc_id} term the block is replaced or deleted by. The metadata
 * lives once rather than on every chunk so that a document without chunks (an empty file) is still recorded,
 * and listing documents reads one doc each instead of scanning chunks. Stateless and thread-safe.
 */
final class LuceneDocuments {

    static final String KIND = "kind";
    static final String KIND_DOCUMENT = "document";
    static final String KIND_CHUNK = "chunk";
    static final String DOC_ID = "doc_id";
    static final String COLLECTION = "collection";
    static final String CHUNK_ID = "chunk_id";
    static final String TEXT_EN = "text_en";
    static final String TEXT_ZH = "text_zh";
    static final String VECTOR = "vector";

    private static final String SOURCE = "source";
    private static final String TITLE = "title";
    private static final String MEDIA_TYPE = "media_type";
    private static final String CONTENT_HASH = "content_hash";
    private static final String CHUNK_COUNT = "chunk_count";
    private static final String EMBEDDING_MODEL = "embedding_model";
    private static final String ACL = "acl";
    private static final String INDEXED_AT = "indexed_at";
    private static final String HEADING = "heading";
    private static final String PAGE = "page";
    private static final String START = "start";
    private static final String END = "end";
    private static final String TEXT = "text";
    private static final String ORDINAL = "ordinal";

    private LuceneDocuments() {
    }

    /**
     * The analyzer of every chunk index, embedded or a PostgreSQL store's BM25 mirror, so both rank alike:
     * {@link EnglishAnalyzer} for the English text field, {@link SmartChineseAnalyzer} for the Chinese one.
     */
    static Analyzer analyzer() {
        return new PerFieldAnalyzerWrapper(new StandardAnalyzer(), Map.of(
                TEXT_EN, new EnglishAnalyzer(),
                TEXT_ZH, new SmartChineseAnalyzer()));
    }

    /** The block for one document: its metadata doc first, then its chunks in order. */
    static List<Document> block(IndexedDocument document, List<EmbeddedChunk> chunks) {
        List<Document> block = new ArrayList<>(chunks.size() + 1);
        block.add(metadata(document));
        for (EmbeddedChunk chunk : chunks) {
            block.add(chunk(chunk));
        }
        return block;
    }

    private static Document metadata(IndexedDocument d) {
        Document doc = new Document();
        doc.add(new StringField(KIND, KIND_DOCUMENT, Field.Store.NO));
        doc.add(new StringField(DOC_ID, d.documentId(), Field.Store.YES));
        doc.add(new StringField(COLLECTION, d.collection(), Field.Store.YES));
        doc.add(new StoredField(SOURCE, d.source()));
        doc.add(new StoredField(TITLE, d.title()));
        doc.add(new StoredField(MEDIA_TYPE, d.mediaType()));
        doc.add(new StoredField(CONTENT_HASH, d.contentHash()));
        doc.add(new StoredField(CHUNK_COUNT, d.chunkCount()));
        doc.add(new StoredField(EMBEDDING_MODEL, d.embeddingModel()));
        d.acl().forEach(principal -> doc.add(new StoredField(ACL, principal)));
        doc.add(new StoredField(INDEXED_AT, d.indexedAt().toString()));
        return doc;
    }

    private static Document chunk(EmbeddedChunk embedded) {
        Document doc = textChunk(embedded.chunk());
        doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.COSINE));
        return doc;
    }

    /** A chunk doc without its vector: what the BM25 side of a store searches and returns. */
    static Document textChunk(Chunk c) {
        Document doc = new Document();
        doc.add(new StringField(KIND, KIND_CHUNK, Field.Store.NO));
        doc.add(new StringField(DOC_ID, c.documentId(), Field.Store.YES));
        doc.add(new StringField(COLLECTION, c.collection(), Field.Store.YES));
        doc.add(new StringField(CHUNK_ID, c.id(), Field.Store.YES));
        // Doc values on the id give searches a stable tie-break that does not depend on segment order.
        doc.add(new SortedDocValuesField(CHUNK_ID, new BytesRef(c.id())));
        doc.add(new StoredField(SOURCE, c.source()));
        doc.add(new StoredField(TITLE, c.title()));
        c.headingPath().forEach(heading -> doc.add(new StoredField(HEADING, heading)));
        if (c.page() != null) {
            doc.add(new StoredField(PAGE, c.page()));
        }
        doc.add(new StoredField(START, c.start()));
        doc.add(new StoredField(END, c.end()));
        doc.add(new StoredField(TEXT, c.text()));
        c.acl().forEach(principal -> doc.add(new StoredField(ACL, principal)));
        doc.add(new StoredField(ORDINAL, c.ordinal()));
        // Title and headings go into the searched text: measured on SciFact, title + text in one field ranks
        // better than text alone. The analyzer follows the chunk's script.
        String searchable = String.join("\n", c.title(), c.headingPathText(), c.text());
        String field = ScriptDetector.isChinese(c.text()) ? TEXT_ZH : TEXT_EN;
        doc.add(new TextField(field, searchable, Field.Store.NO));
        return doc;
    }

    static IndexedDocument toIndexedDocument(Document doc) {
        return new IndexedDocument(doc.get(DOC_ID), doc.get(COLLECTION), doc.get(SOURCE), doc.get(TITLE),
                doc.get(MEDIA_TYPE), doc.get(CONTENT_HASH), intValue(doc, CHUNK_COUNT), doc.get(EMBEDDING_MODEL),
                Arrays.asList(doc.getValues(ACL)), Instant.parse(doc.get(INDEXED_AT)));
    }

    static Chunk toChunk(Document doc) {
        IndexableField page = doc.getField(PAGE);
        return new Chunk(doc.get(CHUNK_ID), doc.get(DOC_ID), doc.get(COLLECTION), doc.get(SOURCE), doc.get(TITLE),
                Arrays.asList(doc.getValues(HEADING)), page == null ? null : page.numericValue().intValue(),
                intValue(doc, START), intValue(doc, END), doc.get(TEXT), Arrays.asList(doc.getValues(ACL)),
                intValue(doc, ORDINAL));
    }

    private static int intValue(Document doc, String field) {
        return doc.getField(field).numericValue().intValue();
    }

    /** Best first, ties broken by chunk id, so equal scores come back in the same order every time. */
    private static final Sort BY_SCORE_THEN_ID =
            new Sort(SortField.FIELD_SCORE, new SortField(CHUNK_ID, SortField.Type.STRING));

    /**
     * The top {@code n} chunks for {@code query}, best first with ties broken by chunk id.
     *
     * @param bm25 whether to fill the BM25 rank (else the vector rank) of the results
     * @param score maps Lucene's score to the reported one
     */
    static List<ScoredChunk> topChunks(IndexSearcher searcher, Query query, int n, boolean bm25,
            DoubleUnaryOperator score) throws IOException {
        TopDocs top = searcher.search(query, n, BY_SCORE_THEN_ID, true);
        StoredFields stored = searcher.storedFields();
        List<ScoredChunk> results = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            int rank = results.size() + 1;
            results.add(new ScoredChunk(toChunk(stored.document(hit.doc)), score.applyAsDouble(hit.score),
                    bm25 ? rank : null, bm25 ? null : rank));
        }
        return results;
    }
}
