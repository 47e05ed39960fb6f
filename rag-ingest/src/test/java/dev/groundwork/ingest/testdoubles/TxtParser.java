package dev.groundwork.ingest.testdoubles;

import dev.groundwork.ingest.parse.DocumentParseException;
import dev.groundwork.ingest.parse.DocumentParser;
import dev.groundwork.ingest.parse.ParsedDocument;
import dev.groundwork.ingest.parse.TextBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test parser for {@code .txt} files: each blank-line-separated paragraph is a body block, the title is the
 * file name; a file containing {@code CORRUPT} fails like a damaged document. Counts parse calls.
 */
public final class TxtParser implements DocumentParser {

    private static final Pattern PARAGRAPH = Pattern.compile("\\S(?:.|\\n(?!\\s*\\n))*");
    private final AtomicInteger parses = new AtomicInteger();

    public int parses() {
        return parses.get();
    }

    @Override
    public boolean supports(String fileName) {
        return fileName.endsWith(".txt");
    }

    @Override
    public ParsedDocument parse(Path file) throws DocumentParseException {
        try {
            return parse(Files.readString(file), file.getFileName().toString());
        } catch (IOException e) {
            throw new DocumentParseException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ParsedDocument parse(InputStream content, String fileName) throws DocumentParseException {
        try {
            return parse(new String(content.readAllBytes(), StandardCharsets.UTF_8), fileName);
        } catch (IOException e) {
            throw new DocumentParseException(fileName + ": " + e.getMessage(), e);
        }
    }

    private ParsedDocument parse(String text, String fileName) throws DocumentParseException {
        parses.incrementAndGet();
        if (text.contains("CORRUPT")) {
            throw new DocumentParseException(fileName + " is corrupt (test marker found)");
        }
        List<TextBlock> blocks = new ArrayList<>();
        Matcher m = PARAGRAPH.matcher(text);
        while (m.find()) {
            blocks.add(new TextBlock(TextBlock.Kind.BODY, 0, m.start(), m.end(), null));
        }
        return new ParsedDocument(fileName, text, blocks, "text/plain");
    }
}
