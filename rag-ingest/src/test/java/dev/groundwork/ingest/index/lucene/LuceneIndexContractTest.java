package dev.groundwork.ingest.index.lucene;

import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.DocumentIndexContract;
import dev.groundwork.ingest.retrieve.Retriever;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexContractTest extends DocumentIndexContract {

    @TempDir
    Path dataDir;

    private LuceneIndex index;

    @BeforeEach
    void open() {
        index = LuceneIndex.open(dataDir);
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Override
    protected DocumentIndex index() {
        return index;
    }

    @Override
    protected Retriever bm25() {
        return index.bm25Retriever();
    }

    @Override
    protected Retriever vector() {
        return index.vectorRetriever(embedder);
    }
}
