package dev.groundwork.ingest.chunk;

/**
 * The smallest piece the chunker packs: a whole sentence, or a piece of a sentence too long for one chunk.
 *
 * @param start offset of the first character in the document text
 * @param end offset after the last character; the unit has no surrounding whitespace
 * @param tokens the unit's token count, counted once
 * @param page the page of the block the unit comes from, or {@code null}
 */
record TextUnit(int start, int end, int tokens, Integer page) {
}
