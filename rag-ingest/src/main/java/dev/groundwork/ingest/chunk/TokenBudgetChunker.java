package dev.groundwork.ingest.chunk;

import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.ingest.parse.TextBlock;
import dev.groundwork.model.tokenize.TokenCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Structure-aware chunker with a token budget counted by the embedding model's tokenizer.
 *
 * <ul>
 *   <li>Headings cut first: a chunk never spans two sections, and its heading path is the chain of headings
 *       above it, outermost first. A heading with no body of its own makes no chunk; it only names the path.
 *       Page breaks cut too, so a chunk's page is the page all of its text is on.
 *   <li>Within a section, whole sentences (from consecutive body blocks) are packed while the chunk stays within
 *       {@link ChunkingOptions#maxTokens()}. Only a sentence that alone exceeds the budget is cut, at words, or
 *       at characters for text without spaces.
 *   <li>Each chunk after the first of a section starts with the previous chunk's trailing whole sentences, at
 *       most {@link ChunkingOptions#overlapTokens()} of them by count (none when the last sentence alone is
 *       longer), and never the whole previous chunk.
 *   <li>A chunk's text is exactly {@code document.text().substring(start, end)}, so citations can highlight it;
 *       nothing (such as headings) is prefixed.
 * </ul>
 *
 * <p>Cost: each sentence is counted once and packing sums those counts; the joined text of each chunk is then
 * counted once more, because a tokenizer's count of joined text may differ from the sum, and the chunk is
 * shrunk by a sentence while it is over. That is about one tokenizer call per sentence plus one per chunk,
 * never quadratic. A chunk over the budget after that is a bug and fails with {@link IllegalStateException}.
 *
 * <p>Thread-safe and deterministic if the {@link TokenCounter} is.
 */
public class TokenBudgetChunker implements Chunker {

    private final TokenCounter tokens;
    private final ChunkingOptions options;
    private final SentenceSplitter splitter;

    public TokenBudgetChunker(TokenCounter tokens, ChunkingOptions options) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.options = Objects.requireNonNull(options, "options");
        this.splitter = new SentenceSplitter(tokens, options.maxTokens());
    }

    @Override
    public List<Chunk> chunk(DocumentRef ref, ParsedDocument document) {
        List<Chunk> chunks = new ArrayList<>();
        String[] headings = new String[6];
        List<String> path = List.of();
        List<TextUnit> section = new ArrayList<>();
        for (TextBlock block : document.blocks()) {
            if (block.kind() == TextBlock.Kind.HEADING) {
                pack(ref, document, path, section, chunks);
                section.clear();
                headings[block.level() - 1] = document.textOf(block);
                Arrays.fill(headings, block.level(), headings.length, null);
                path = Arrays.stream(headings).filter(Objects::nonNull).toList();
            } else {
                if (!section.isEmpty() && !Objects.equals(section.get(section.size() - 1).page(), block.page())) {
                    // A chunk stays on one page, so the page its citation shows is the page its text is on.
                    pack(ref, document, path, section, chunks);
                    section.clear();
                }
                section.addAll(splitter.split(document.text(), block.start(), block.end(), block.page()));
            }
        }
        pack(ref, document, path, section, chunks);
        return List.copyOf(chunks);
    }

    /** Packs the units of one section into chunks, appending them to {@code chunks}. */
    private void pack(DocumentRef ref, ParsedDocument document, List<String> path, List<TextUnit> units,
            List<Chunk> chunks) {
        int maxTokens = options.maxTokens();
        int next = 0;
        int previousFirst = -1;
        while (next < units.size()) {
            int first = next;
            int sum = 0;
            while (previousFirst >= 0 && first - 1 > previousFirst
                    && sum + units.get(first - 1).tokens() <= options.overlapTokens()) {
                first--;
                sum += units.get(first).tokens();
            }
            // The overlap gives way when it would leave no room for the next new sentence.
            while (first < next && sum + units.get(next).tokens() > maxTokens) {
                sum -= units.get(first).tokens();
                first++;
            }
            int end = next;
            while (end < units.size() && sum + units.get(end).tokens() <= maxTokens) {
                sum += units.get(end).tokens();
                end++;
            }
            end = Math.max(end, next + 1);
            String text = span(document, units, first, end);
            int count = tokens.countTokens(text);
            while (count > maxTokens && (end - 1 > next || first < next)) {
                if (end - 1 > next) {
                    end--;
                } else {
                    first++;
                }
                text = span(document, units, first, end);
                count = tokens.countTokens(text);
            }
            if (count > maxTokens) {
                throw new IllegalStateException("chunker bug: a chunk of " + ref.source() + " has " + count
                        + " tokens, over the budget of " + maxTokens);
            }
            int ordinal = chunks.size();
            chunks.add(new Chunk(ref.documentId() + "#" + ordinal, ref.documentId(), ref.collection(), ref.source(),
                    document.title(), path, units.get(first).page(), units.get(first).start(),
                    units.get(end - 1).end(), text, ref.acl(), ordinal));
            previousFirst = first;
            next = end;
        }
    }

    private static String span(ParsedDocument document, List<TextUnit> units, int first, int end) {
        return document.text().substring(units.get(first).start(), units.get(end - 1).end());
    }
}
