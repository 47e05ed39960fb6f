package dev.groundwork.ingest.parse;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.wp.usermodel.HeaderFooterType;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTDecimalNumber;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTPPrGeneral;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTString;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/** Writes small real PDF and DOCX files with PDFBox and POI, the libraries Tika itself reads them with. */
public final class TestDocuments {

    private TestDocuments() {
    }

    /** A PDF with one page per entry of {@code pages}, each page's lines drawn top-down, and a title in its info. */
    public static Path pdf(Path file, String title, List<List<String>> pages, String userPassword) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(72, 700);
                    for (String line : lines) {
                        content.showText(line);
                        content.newLineAtOffset(0, -16);
                    }
                    content.endText();
                }
            }
            if (title != null) {
                document.getDocumentInformation().setTitle(title);
            }
            if (userPassword != null) {
                StandardProtectionPolicy policy =
                        new StandardProtectionPolicy("owner-secret", userPassword, new AccessPermission());
                policy.setEncryptionKeyLength(128);
                document.protect(policy);
            }
            document.save(file.toFile());
        }
        return file;
    }

    /**
     * A DOCX: entries of {@code paragraphs} starting with {@code "#1 "} / {@code "#2 "} are Heading 1 / Heading 2
     * paragraphs, {@code "|a|b"} is a one-row table, {@code "^text"} the running page header, anything else a body
     * paragraph.
     */
    public static Path docx(Path file, String title, List<String> paragraphs) throws IOException {
        try (XWPFDocument document = new XWPFDocument()) {
            XWPFStyles styles = document.createStyles();
            for (int level = 1; level <= 2; level++) {
                styles.addStyle(headingStyle(level));
            }
            if (title != null) {
                document.getProperties().getCoreProperties().setTitle(title);
            }
            for (String paragraph : paragraphs) {
                if (paragraph.startsWith("^")) {
                    document.createHeader(HeaderFooterType.DEFAULT).createParagraph().createRun()
                            .setText(paragraph.substring(1));
                } else if (paragraph.startsWith("|")) {
                    String[] cells = paragraph.substring(1).split("\\|");
                    XWPFTable table = document.createTable(1, cells.length);
                    for (int i = 0; i < cells.length; i++) {
                        table.getRow(0).getCell(i).setText(cells[i]);
                    }
                } else if (paragraph.startsWith("#")) {
                    var p = document.createParagraph();
                    p.setStyle("Heading" + paragraph.charAt(1));
                    p.createRun().setText(paragraph.substring(3));
                } else {
                    document.createParagraph().createRun().setText(paragraph);
                }
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                document.write(out);
            }
        }
        return file;
    }

    /** Word finds headings by style; the style's name ("heading 1") is what Tika maps to {@code <h1>}. */
    private static XWPFStyle headingStyle(int level) {
        CTStyle style = CTStyle.Factory.newInstance();
        style.setStyleId("Heading" + level);
        style.setType(STStyleType.PARAGRAPH);
        CTString name = CTString.Factory.newInstance();
        name.setVal("heading " + level);
        style.setName(name);
        CTPPrGeneral paragraphProperties = style.addNewPPr();
        CTDecimalNumber outline = paragraphProperties.addNewOutlineLvl();
        outline.setVal(BigInteger.valueOf(level - 1));
        return new XWPFStyle(style);
    }
}
