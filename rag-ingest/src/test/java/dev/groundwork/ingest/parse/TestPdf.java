package dev.groundwork.ingest.parse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.transform.TransformerException;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.xml.XmpSerializer;

/**
 * Lays out a PDF the way a word processor would: lines flow down each page in Helvetica, headings larger or bold
 * with space above them, and optional running header and footer lines on every page. Only font size, weight and
 * position tell a heading from body text, as in real untagged PDFs. Not thread-safe.
 */
public final class TestPdf {

    static final float BODY = 11;
    private static final float TOP = 720;
    private static final float LEFT = 72;

    private record Line(String text, float size, boolean bold, float y) {
    }

    private record Field(int page, String name, String value) {
    }

    private final List<List<Line>> pages = new ArrayList<>();
    private float y;
    private final List<Field> fields = new ArrayList<>();
    private String header;
    private String footer;
    private String xmpTitle;

    public TestPdf() {
        page();
    }

    /** Starts a new page. */
    public TestPdf page() {
        pages.add(new ArrayList<>());
        y = TOP;
        return this;
    }

    /** A bold heading line of {@code size} points with space above it. */
    public TestPdf heading(String text, float size) {
        y -= size * 0.8f;
        return line(text, size, true);
    }

    /** Body lines at {@value #BODY} points, one after another (one paragraph when they continue each other). */
    public TestPdf text(String... lines) {
        for (String line : lines) {
            line(line, BODY, false);
        }
        return this;
    }

    /** Body-size bold lines, e.g. a run-in heading or an emphasised sentence. */
    public TestPdf bold(String... lines) {
        for (String line : lines) {
            line(line, BODY, true);
        }
        return this;
    }

    /** Extra vertical space, as between paragraphs. */
    public TestPdf space(float points) {
        y -= points;
        return this;
    }

    /** A line drawn near the top of every page; {@code %d} becomes the page number. */
    public TestPdf runningHeader(String text) {
        header = text;
        return this;
    }

    /** A line drawn near the bottom of every page; {@code %d} becomes the page number, {@code %n} the count. */
    public TestPdf runningFooter(String text) {
        footer = text;
        return this;
    }

    /** A small line near the top of the current page only, as a chapter's own running header. */
    public TestPdf pageHeader(String text) {
        pages.get(pages.size() - 1).add(new Line(text, 9, false, 760));
        return this;
    }

    /** A filled-in form text field on the current page. */
    public TestPdf formField(String name, String value) {
        fields.add(new Field(pages.size() - 1, name, value));
        return this;
    }

    /** A dc:title in the document's XMP metadata packet. */
    public TestPdf xmpTitle(String title) {
        xmpTitle = title;
        return this;
    }

    public TestPdf line(String text, float size, boolean bold) {
        pages.get(pages.size() - 1).add(new Line(text, size, bold, y));
        y -= size * 1.3f;
        return this;
    }

    public Path save(Path file, String title) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            for (int p = 0; p < pages.size(); p++) {
                List<Line> lines = new ArrayList<>(pages.get(p));
                String number = Integer.toString(p + 1);
                if (header != null) {
                    lines.add(0, new Line(header.replace("%d", number).replace("%n", "" + pages.size()), 9, false,
                            760));
                }
                if (footer != null) {
                    lines.add(new Line(footer.replace("%d", number).replace("%n", "" + pages.size()), 9, false, 30));
                }
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    for (Line line : lines) {
                        content.beginText();
                        content.setFont(line.bold() ? bold : regular, line.size());
                        content.newLineAtOffset(LEFT, line.y());
                        content.showText(line.text());
                        content.endText();
                    }
                }
            }
            if (title != null) {
                document.getDocumentInformation().setTitle(title);
            }
            if (!fields.isEmpty()) {
                addForm(document, regular);
            }
            if (xmpTitle != null) {
                XMPMetadata xmp = XMPMetadata.createXMPMetadata();
                xmp.createAndAddDublinCoreSchema().setTitle(xmpTitle);
                ByteArrayOutputStream packet = new ByteArrayOutputStream();
                try {
                    new XmpSerializer().serialize(xmp, packet, true);
                } catch (TransformerException e) {
                    throw new IOException(e);
                }
                PDMetadata metadata = new PDMetadata(document);
                metadata.importXMPMetadata(packet.toByteArray());
                document.getDocumentCatalog().setMetadata(metadata);
            }
            document.save(file.toFile());
        }
        return file;
    }

    private void addForm(PDDocument document, PDType1Font font) throws IOException {
        PDAcroForm form = new PDAcroForm(document);
        document.getDocumentCatalog().setAcroForm(form);
        PDResources resources = new PDResources();
        resources.put(COSName.HELV, font);
        form.setDefaultResources(resources);
        form.setDefaultAppearance("/Helv 10 Tf 0 g");
        for (Field spec : fields) {
            PDTextField field = new PDTextField(form);
            field.setPartialName(spec.name());
            PDPage page = document.getPage(spec.page());
            PDAnnotationWidget widget = field.getWidgets().get(0);
            widget.setRectangle(new PDRectangle(300, 100, 200, 20));
            widget.setPage(page);
            page.getAnnotations().add(widget);
            form.getFields().add(field);
            field.setValue(spec.value());
        }
    }
}
