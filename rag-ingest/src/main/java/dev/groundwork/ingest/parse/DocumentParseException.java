package dev.groundwork.ingest.parse;

/** A document could not be read: corrupt, encrypted, empty or unsupported. The message says which file and why. */
public class DocumentParseException extends Exception {

    public DocumentParseException(String message) {
        super(message);
    }

    public DocumentParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
