package dev.groundwork.ingest.parse;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Extracts text and structure from a document file. Implementations are thread-safe.
 */
public interface DocumentParser {

    /** Whether this parser handles files with this name (decided by extension, before reading any bytes). */
    boolean supports(String fileName);

    /**
     * Parses a file.
     *
     * @throws UnsupportedDocumentException if the format is not supported
     * @throws DocumentParseException if the file is corrupt, encrypted or otherwise unreadable; the message
     *     names the file and the reason
     */
    ParsedDocument parse(Path file) throws DocumentParseException;

    /** Parses a document from a stream (an upload); {@code fileName} decides the format and names errors. */
    ParsedDocument parse(InputStream content, String fileName) throws DocumentParseException;
}
