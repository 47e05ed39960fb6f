package dev.groundwork.ingest.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.AutoDetectReader;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Reads plain text, Markdown, HTML, PDF and DOCX with Apache Tika into text plus headings and body blocks.
 *
 * <p>HTML and DOCX go through Tika's {@link AutoDetectParser}; its XHTML events are turned into blocks by
 * {@link XhtmlStructureHandler}. Files Tika detects as PDF are read with PDFBox (which Tika brings) by
 * {@link PdfStructureReader}, because PDFs carry no heading tags and Tika's XHTML drops the font sizes and weights
 * their headings are found by; PDF blocks carry their {@link TextBlock#page()}. Plain text and Markdown are only
 * decoded by Tika (charset detection) and split here, because Tika sees no structure in them. The title is the
 * metadata title, else the first level-1 heading (for PDFs: the first on page 1), else the file name without its
 * extension.
 *
 * <p>OCR is off (the Tesseract and external-tool parsers are excluded, PDFs are read from their text layer only),
 * embedded documents, PDF bookmarks, PDF running headers/footers and page numbers, and DOCX headers/footers are
 * not read, and nothing touches the network. Every failure, Tika's included,
 * surfaces as a {@link DocumentParseException} naming the file and the reason.
 *
 * <p>Thread-safe: the Tika configuration and parser are built once and shared; each call has its own state.
 */
public class TikaDocumentParser implements DocumentParser {

    /** Default limit on extracted characters, well above any real document and below memory trouble. */
    public static final long DEFAULT_MAX_CHARS = 20_000_000L;

    private static final Map<String, Format> FORMATS = formats();
    private static final MediaType PDF = MediaType.application("pdf");

    // Tesseract (OCR) and the external-tool parsers (ffmpeg, exiftool) would probe for binaries by starting
    // processes and make results depend on what the host has installed.
    private static final String TIKA_CONFIG = """
            <properties>
              <parsers>
                <parser class="org.apache.tika.parser.DefaultParser">
                  <parser-exclude class="org.apache.tika.parser.ocr.TesseractOCRParser"/>
                  <parser-exclude class="org.apache.tika.parser.external.CompositeExternalParser"/>
                </parser>
              </parsers>
            </properties>
            """;

    private enum Format { PLAIN_TEXT, MARKDOWN, TIKA }

    private final AutoDetectParser parser;
    private final long maxChars;

    /** A parser with the {@link #DEFAULT_MAX_CHARS default} limit on extracted text. */
    public TikaDocumentParser() {
        this(DEFAULT_MAX_CHARS);
    }

    /** @param maxChars most characters of text one document may yield; more is an error, not a truncation */
    public TikaDocumentParser(long maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
        }
        this.maxChars = maxChars;
        try {
            TikaConfig config = new TikaConfig(new ByteArrayInputStream(TIKA_CONFIG.getBytes(StandardCharsets.UTF_8)));
            this.parser = new AutoDetectParser(config);
        } catch (TikaException | IOException | SAXException e) {
            throw new IllegalStateException("cannot configure Apache Tika", e);
        }
    }

    @Override
    public boolean supports(String fileName) {
        return FORMATS.containsKey(extension(fileName));
    }

    @Override
    public ParsedDocument parse(Path file) throws DocumentParseException {
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        requireSupported(fileName, file.toString());
        try (InputStream in = TikaInputStream.get(file)) {
            return parse(in, fileName, file.toString());
        } catch (NoSuchFileException e) {
            throw new DocumentParseException(file + ": file not found", e);
        } catch (IOException e) {
            throw new DocumentParseException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public ParsedDocument parse(InputStream content, String fileName) throws DocumentParseException {
        requireSupported(fileName, fileName);
        return parse(content, fileName, fileName);
    }

    private ParsedDocument parse(InputStream content, String fileName, String shownName)
            throws DocumentParseException {
        StructuredTextBuilder builder = new StructuredTextBuilder(maxChars);
        String title;
        String mediaType;
        try {
            Format format = FORMATS.get(extension(fileName));
            if (format == Format.TIKA) {
                Metadata metadata = new Metadata();
                metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
                // Temporary files Tika may spool the stream to go with it; the caller's stream stays open.
                try (TemporaryResources temporary = new TemporaryResources()) {
                    TikaInputStream stream = TikaInputStream.get(content, temporary, metadata);
                    if (PDF.equals(parser.getDetector().detect(stream, metadata))) {
                        String pdfTitle = readPdf(stream, builder, shownName);
                        // The file name, not a later page's heading, names a PDF without a title of its own.
                        title = pdfTitle != null ? pdfTitle : withoutExtension(fileName);
                        mediaType = PDF.toString();
                    } else {
                        parser.parse(stream, new XhtmlStructureHandler(builder), metadata, parseContext());
                        title = metadata.get(TikaCoreProperties.TITLE);
                        mediaType = baseType(metadata.get(Metadata.CONTENT_TYPE));
                    }
                }
            } else {
                String source = decode(content, shownName);
                if (format == Format.MARKDOWN) {
                    title = new MarkdownStructureReader().read(source, builder);
                    mediaType = "text/markdown";
                } else {
                    new PlainTextStructureReader().read(source, builder);
                    title = null;
                    mediaType = "text/plain";
                }
            }
        } catch (StructuredTextBuilder.TextTooLongException e) {
            throw tooLong(shownName, e);
        } catch (IOException | SAXException | TikaException | RuntimeException e) {
            throw translate(shownName, e);
        }
        if (builder.isEmpty()) {
            throw new DocumentParseException(shownName + ": no text could be extracted (the file is empty, or it "
                    + "holds only images such as a scan without a text layer)");
        }
        return builder.build(title, withoutExtension(fileName), mediaType);
    }

    /**
     * PDFs are read with PDFBox directly rather than through Tika's XHTML, which loses the font sizes and weights
     * that headings are found by. Text layer only, as with Tika's NO_OCR strategy.
     */
    private String readPdf(TikaInputStream stream, StructuredTextBuilder builder, String shownName)
            throws IOException, DocumentParseException {
        stream.mark(1);
        if (stream.read() < 0) {
            throw new DocumentParseException(shownName + ": no text could be extracted (the file is empty)");
        }
        stream.reset();
        // Loader.loadPDF(RandomAccessRead) closes its source only when loading succeeds (through the document):
        // a corrupt or encrypted PDF would leak the file handle without the outer try
        try (RandomAccessRead source = stream.hasFile() ? new RandomAccessReadBufferedFile(stream.getPath())
                : new RandomAccessReadBuffer(stream);
                PDDocument document = Loader.loadPDF(source)) {
            return new PdfStructureReader(builder).read(document, maxChars);
        }
    }

    private String decode(InputStream content, String shownName) throws IOException, TikaException,
            DocumentParseException {
        // UTF-8 needs at most 4 bytes a character: more bytes than that cannot fit the limit.
        byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxChars * 4 + 1));
        if (bytes.length > maxChars * 4) {
            throw tooLong(shownName, new StructuredTextBuilder.TextTooLongException(maxChars));
        }
        Charset charset;
        // AutoDetectReader sniffs BOMs and charsets (UTF-8, UTF-16, ...) the way Tika's text parser does.
        try (AutoDetectReader detector = new AutoDetectReader(new ByteArrayInputStream(bytes))) {
            charset = detector.getCharset();
        }
        if (charset.equals(StandardCharsets.ISO_8859_1)) {
            // As browsers do: text labelled Latin-1 is windows-1252, whose 0x80-0x9F are printable (€, quotes, ...).
            charset = Charset.forName("windows-1252");
        }
        String text = new String(bytes, charset);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.length() > maxChars) {
            throw tooLong(shownName, new StructuredTextBuilder.TextTooLongException(maxChars));
        }
        return text;
    }

    private static ParseContext parseContext() {
        ParseContext context = new ParseContext();
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        pdf.setExtractInlineImages(false);
        // Tika appends the PDF outline after the last page; it would repeat headings as page-less body text.
        pdf.setExtractBookmarksText(false);
        context.set(PDFParserConfig.class, pdf);
        OfficeParserConfig office = new OfficeParserConfig();
        // Running headers and footers ("Confidential", "Page 3") repeat on every page and only add noise.
        office.setIncludeHeadersAndFooters(false);
        context.set(OfficeParserConfig.class, office);
        context.set(EmbeddedDocumentExtractor.class, SkipEmbedded.INSTANCE);
        return context;
    }

    private DocumentParseException translate(String shownName, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StructuredTextBuilder.TextTooLongException tooLong) {
                return tooLong(shownName, tooLong);
            }
            if (t instanceof EncryptedDocumentException || t instanceof InvalidPasswordException) {
                return new DocumentParseException(shownName + ": the document is encrypted (password-protected) "
                        + "and cannot be read", e);
            }
            if (t instanceof ZeroByteFileException) {
                return new DocumentParseException(shownName + ": no text could be extracted (the file is empty)", e);
            }
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DocumentParseException(shownName + ": corrupt or unreadable document (" + reason + ")", e);
    }

    private DocumentParseException tooLong(String shownName, RuntimeException e) {
        return new DocumentParseException(shownName + ": too large, " + e.getMessage() + " (the limit is "
                + maxChars + " characters)", e);
    }

    private void requireSupported(String fileName, String shownName) throws UnsupportedDocumentException {
        if (!supports(fileName)) {
            String extension = extension(fileName);
            throw new UnsupportedDocumentException(shownName + ": unsupported format "
                    + (extension.isEmpty() ? "(no file extension)" : "'." + extension + "'")
                    + "; supported: " + String.join(", ", FORMATS.keySet()));
        }
    }

    private static String baseType(String contentType) {
        if (contentType == null) {
            return "application/octet-stream";
        }
        MediaType type = MediaType.parse(contentType);
        return type == null ? contentType : type.getBaseType().toString();
    }

    private static String extension(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        return dot < 0 || fileName.indexOf('/', dot) >= 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String withoutExtension(String fileName) {
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.isBlank() ? "untitled" : stem;
    }

    private static Map<String, Format> formats() {
        Map<String, Format> formats = new TreeMap<>();
        formats.put("txt", Format.PLAIN_TEXT);
        formats.put("text", Format.PLAIN_TEXT);
        formats.put("md", Format.MARKDOWN);
        formats.put("markdown", Format.MARKDOWN);
        for (String tika : new String[] {"html", "htm", "xhtml", "pdf", "docx"}) {
            formats.put(tika, Format.TIKA);
        }
        return Collections.unmodifiableMap(formats);
    }

    /** Embedded files (images, attachments, OLE objects) are skipped: their text has no place in the host's structure. */
    private enum SkipEmbedded implements EmbeddedDocumentExtractor {
        INSTANCE;

        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            return false;
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml) {
            // never called: shouldParseEmbedded is false
        }
    }
}
