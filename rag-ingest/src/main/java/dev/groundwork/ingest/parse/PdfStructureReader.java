package dev.groundwork.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDTerminalField;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.type.BadFieldValueException;
import org.apache.xmpbox.xml.DomXmpParser;
import org.apache.xmpbox.xml.XmpParsingException;

/**
 * Reads a PDF's text layer into headings and paragraphs: PDFBox extracts the lines ({@link PdfLineCollector}),
 * running headers, footers and page numbers go ({@link PdfRunningTextFilter}), font statistics find the
 * headings ({@link PdfHeadingDetector}), and the remaining lines are joined into paragraphs. Filled-in form
 * fields follow the page text, as Tika emits them. The title is the document-information title, else the XMP
 * dc:title, else the first level-1 heading on page 1.
 *
 * <p>Paragraphs: consecutive body lines of one page and one font size are one paragraph, joined by a space, until
 * a line lies more than {@value #PARAGRAPH_GAP} leadings below the previous one (or above it: a new column),
 * starts with a bullet or list number, or follows a line that ends a sentence and is either short (ends
 * {@value #SHORT_LINE_EMS} ems before the page's right text edge) or followed by an indented line. A line that
 * ends in "letter-letter-hyphen" before a line starting in lower case is de-hyphenated ("exam-" + "ple" =
 * "example") unless the document writes that compound with a hyphen elsewhere ("well-known") or the word
 * already has a hyphen ("state-of-the-"), in which case the hyphen stays and no space is added. Soft hyphens at a line end always join.
 *
 * <p>Not thread-safe: one reader per document.
 */
final class PdfStructureReader {

    static final float PARAGRAPH_GAP = 1.4f;
    static final float SHORT_LINE_EMS = 4f;

    private static final Pattern BULLET = Pattern.compile("^([\u2022\u25CF\u25AA\u25E6\u2023\u2043\u2219*\u2013\u2014-]"
            + "|\\(?(\\d{1,3}|[a-z])[.)])\\s.*");
    private static final Pattern SENTENCE_END = Pattern.compile(".*[.!?:][\"\u201d\u2019')\\]]*$");
    private static final Pattern BROKEN_WORD = Pattern.compile("(?:^|.*[^\\p{L}-])([\\p{L}-]*\\p{Ll}\\p{Ll})-$");
    private static final Pattern FIRST_WORD = Pattern.compile("^(\\p{Ll}\\p{L}*).*");
    private static final Pattern COMPOUND = Pattern.compile("\\p{L}+(?:-\\p{L}+)+");

    private final StructuredTextBuilder builder;
    private final Set<String> compounds = new HashSet<>();
    private final Map<Integer, Float> rightEdges = new HashMap<>();
    private final StringBuilder paragraph = new StringBuilder();
    private PdfLine last;
    private Integer paragraphPage;

    PdfStructureReader(StructuredTextBuilder builder) {
        this.builder = builder;
    }

    /**
     * Adds the document's headings and paragraphs to the builder.
     *
     * @return the title: the metadata (information or XMP) title, else the first level-1 heading on page 1, else
     *     {@code null}
     */
    String read(PDDocument document, long maxChars) throws IOException {
        List<PdfLine> lines = new PdfRunningTextFilter().filter(PdfLineCollector.collect(document, maxChars),
                document.getNumberOfPages());
        PdfHeadingDetector.Layout layout = new PdfHeadingDetector().analyse(lines);
        for (PdfLine line : lines) {
            Matcher compound = COMPOUND.matcher(line.text());
            while (compound.find()) {
                compounds.add(compound.group().toLowerCase(Locale.ROOT));
            }
            if (line.sizeBucket() == layout.bodySize()) {
                rightEdges.merge(line.page(), line.right(), Math::max);
            }
        }
        String firstTitleHeading = null;
        int next = 0;
        for (PdfHeadingDetector.Heading heading : layout.headings()) {
            for (int i = next; i < heading.first(); i++) {
                addBodyLine(lines.get(i), layout);
            }
            flush();
            StringBuilder text = new StringBuilder();
            for (int i = heading.first(); i < heading.end(); i++) {
                join(text, lines.get(i).text());
            }
            PdfLine first = lines.get(heading.first());
            builder.addHeading(heading.level(), text, first.page());
            if (firstTitleHeading == null && heading.level() == 1 && first.page() == 1) {
                firstTitleHeading = StructuredTextBuilder.collapse(text);
            }
            next = heading.end();
        }
        for (int i = next; i < lines.size(); i++) {
            addBodyLine(lines.get(i), layout);
        }
        flush();
        addFormFields(document);
        String metadataTitle = metadataTitle(document);
        return metadataTitle != null ? metadataTitle : firstTitleHeading;
    }

    /** The document-information title, else the XMP dc:title, as Tika reads them; {@code null} when neither. */
    private static String metadataTitle(PDDocument document) {
        String title = document.getDocumentInformation().getTitle();
        if (title == null || StructuredTextBuilder.collapse(title).isEmpty()) {
            PDMetadata xmp = document.getDocumentCatalog().getMetadata();
            try (InputStream in = xmp == null ? null : xmp.exportXMPMetadata()) {
                DublinCoreSchema dublinCore = in == null ? null : new DomXmpParser().parse(in).getDublinCoreSchema();
                title = dublinCore == null ? null : dublinCore.getTitle();
            } catch (IOException | XmpParsingException | BadFieldValueException | RuntimeException e) {
                // A broken XMP packet only costs the title; the text is still good.
                title = null;
            }
        }
        return title == null || StructuredTextBuilder.collapse(title).isEmpty() ? null : title;
    }

    /** Filled-in form fields, "name: value", on their widget's page, after the page text (as Tika emits them). */
    private void addFormFields(PDDocument document) {
        PDAcroForm form = document.getDocumentCatalog().getAcroForm(null);
        if (form == null) {
            return;
        }
        for (PDField field : form.getFieldTree()) {
            String value = field instanceof PDTerminalField ? field.getValueAsString() : null;
            if (value == null || StructuredTextBuilder.collapse(value).isEmpty()) {
                continue;
            }
            int page = document.getNumberOfPages();
            for (PDAnnotationWidget widget : field.getWidgets()) {
                int index = widget.getPage() == null ? -1 : document.getPages().indexOf(widget.getPage());
                if (index >= 0) {
                    page = index + 1;
                    break;
                }
            }
            String name = field.getPartialName();
            builder.addBody((name == null || name.isBlank() ? "" : name + ": ") + value, Math.max(1, page));
        }
    }

    private void addBodyLine(PdfLine line, PdfHeadingDetector.Layout layout) {
        if (last != null && startsParagraph(last, line, layout)) {
            flush();
        }
        if (paragraph.isEmpty()) {
            paragraphPage = line.page();
        }
        join(paragraph, line.text());
        builder.ensureRoom(paragraph.length());
        last = line;
    }

    private boolean startsParagraph(PdfLine previous, PdfLine line, PdfHeadingDetector.Layout layout) {
        if (previous.page() != line.page() || previous.sizeBucket() != line.sizeBucket()) {
            return true;
        }
        float leading = layout.leading() * line.fontSize() / layout.bodySize();
        float gap = PdfHeadingDetector.gap(previous, line);
        if (gap <= 0 || gap > PARAGRAPH_GAP * leading || BULLET.matcher(line.text()).matches()) {
            return true;
        }
        if (!SENTENCE_END.matcher(previous.text()).matches()) {
            return false;
        }
        boolean shortLine = previous.right() < rightEdges.getOrDefault(line.page(), previous.right())
                - SHORT_LINE_EMS * line.fontSize();
        boolean indented = line.left() > previous.left() + line.fontSize();
        return shortLine || indented;
    }

    /** Appends a line to a paragraph or heading, mending words broken across the line end. */
    private void join(StringBuilder text, String line) {
        if (text.isEmpty()) {
            text.append(line);
            return;
        }
        if (text.charAt(text.length() - 1) == '\u00AD') {
            text.setLength(text.length() - 1);
            text.append(line);
            return;
        }
        Matcher broken = text.charAt(text.length() - 1) == '-'
                ? BROKEN_WORD.matcher(text.subSequence(Math.max(0, text.length() - 64), text.length())) : null;
        Matcher continuation = FIRST_WORD.matcher(line);
        if (broken != null && broken.matches() && continuation.matches()) {
            String compound = (broken.group(1) + "-" + continuation.group(1)).toLowerCase(Locale.ROOT);
            if (broken.group(1).indexOf('-') < 0 && !compounds.contains(compound)) {
                text.setLength(text.length() - 1);
            }
            text.append(line);
            return;
        }
        text.append(' ').append(line);
    }

    private void flush() {
        if (!paragraph.isEmpty()) {
            builder.addBody(paragraph, paragraphPage);
            paragraph.setLength(0);
        }
        last = null;
    }
}
