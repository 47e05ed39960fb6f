package dev.groundwork.api.documents;

import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.ingest.pipeline.FileOutcome;
import dev.groundwork.ingest.pipeline.Ingester;
import java.io.InputStream;

/** {@link DocumentIngestion} by the ingestion pipeline: its parser decides support, its {@link Ingester} ingests. */
public final class PipelineDocumentIngestion implements DocumentIngestion {

    private final Ingester ingester;
    private final DocumentParser parser;

    /** @param parser the parser {@code ingester} was built with, so both agree on what is supported */
    public PipelineDocumentIngestion(Ingester ingester, DocumentParser parser) {
        this.ingester = ingester;
        this.parser = parser;
    }

    @Override
    public boolean supports(String fileName) {
        return parser.supports(fileName);
    }

    @Override
    public FileOutcome ingest(String collection, String source, InputStream content) {
        return ingester.ingestFile(collection, source, content);
    }
}
