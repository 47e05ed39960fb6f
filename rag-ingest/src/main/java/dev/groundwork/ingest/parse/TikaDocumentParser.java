package dev.groundwork.ingest.parse;

import java.io.InputStream;
import java.nio.file.Path;

/** Reads txt, md, html, pdf, docx (and more) with Apache Tika. TODO(skeleton): lands with the parse/chunk work. */
public class TikaDocumentParser implements DocumentParser {

    public TikaDocumentParser() {
    }

    @Override
    public boolean supports(String fileName) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ParsedDocument parse(Path file) throws DocumentParseException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public ParsedDocument parse(InputStream content, String fileName) throws DocumentParseException {
        throw new UnsupportedOperationException("not yet");
    }
}
