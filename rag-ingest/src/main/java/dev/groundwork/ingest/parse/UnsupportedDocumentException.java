package dev.groundwork.ingest.parse;

/** The file's format is not one Groundwork reads. */
public class UnsupportedDocumentException extends DocumentParseException {

    public UnsupportedDocumentException(String message) {
        super(message);
    }
}
