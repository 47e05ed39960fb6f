package dev.groundwork.ingest.testdoubles;

import dev.groundwork.ingest.chunk.Chunk;
import dev.groundwork.ingest.chunk.Chunker;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.ingest.parse.TextBlock;
import java.util.ArrayList;
import java.util.List;

/** Test chunker: one chunk per non-blank block. */
public final class ParagraphChunker implements Chunker {

    @Override
    public List<Chunk> chunk(DocumentRef ref, ParsedDocument document) {
        List<Chunk> chunks = new ArrayList<>();
        for (TextBlock block : document.blocks()) {
            String text = document.textOf(block);
            if (!text.isBlank()) {
                int ordinal = chunks.size();
                chunks.add(new Chunk(ref.documentId() + "#" + ordinal, ref.documentId(), ref.collection(),
                        ref.source(), document.title(), List.of(), block.page(), block.start(), block.end(), text,
                        ref.acl(), ordinal));
            }
        }
        return chunks;
    }
}
