package dev.groundwork.ingest.chunk;

import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.List;

/** Structure-aware, token-budgeted chunker. TODO(skeleton): lands with the parse/chunk work. */
public class TokenBudgetChunker implements Chunker {

    public TokenBudgetChunker(TokenCounter tokens, ChunkingOptions options) {
    }

    @Override
    public List<Chunk> chunk(DocumentRef ref, ParsedDocument document) {
        throw new UnsupportedOperationException("not yet");
    }
}
