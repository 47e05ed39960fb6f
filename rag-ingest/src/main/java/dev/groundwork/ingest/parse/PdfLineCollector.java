package dev.groundwork.ingest.parse;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDFBox's own text extraction (reading order, word spacing, diacritics), with the
 * output caught line by line as {@link PdfLine}s together with the size and weight of their fonts.
 *
 * <p>Only the hooks are overridden: {@link #writeString(String, List)} receives each run of a line with its glyph
 * positions, and the line and paragraph separators end a line. Not thread-safe: one collector per document.
 */
final class PdfLineCollector extends PDFTextStripper {

    private static final float BOLD_SHARE = 0.9f;

    private final long maxChars;
    private final List<PdfLine> lines = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final List<TextPosition> positions = new ArrayList<>();
    private final Map<PDFont, Boolean> boldFonts = new IdentityHashMap<>();
    private float pageHeight;
    private long chars;

    private PdfLineCollector(long maxChars) {
        this.maxChars = maxChars;
        // As Tika reads PDFs by default: content-stream order (keeps columns apart), and no search for duplicated
        // overlapping glyphs, which costs a third of the extraction time.
        setSortByPosition(false);
        setSuppressDuplicateOverlappingText(false);
    }

    /**
     * The document's lines in reading order.
     *
     * @throws StructuredTextBuilder.TextTooLongException once more than {@code maxChars} characters were read
     */
    static List<PdfLine> collect(PDDocument document, long maxChars) throws IOException {
        PdfLineCollector collector = new PdfLineCollector(maxChars);
        collector.writeText(document, Writer.nullWriter());
        return List.copyOf(collector.lines);
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
        PDRectangle box = page.getCropBox();
        pageHeight = page.getRotation() % 180 == 0 ? box.getHeight() : box.getWidth();
        super.startPage(page);
    }

    @Override
    protected void writeString(String run, List<TextPosition> runPositions) {
        text.append(run);
        positions.addAll(runPositions);
        chars += run.length();
        if (chars > maxChars) {
            throw new StructuredTextBuilder.TextTooLongException(maxChars);
        }
    }

    @Override
    protected void writeWordSeparator() {
        text.append(' ');
    }

    @Override
    protected void writeLineSeparator() {
        endLine();
    }

    @Override
    protected void writeParagraphStart() {
        endLine();
    }

    @Override
    protected void writeParagraphEnd() {
        endLine();
    }

    @Override
    protected void writePageEnd() {
        endLine();
    }

    private void endLine() {
        if (!positions.isEmpty() && !text.toString().isBlank()) {
            lines.add(toLine());
        }
        text.setLength(0);
        positions.clear();
    }

    private PdfLine toLine() {
        Map<Float, Integer> lettersBySize = new HashMap<>();
        int letters = 0;
        int boldLetters = 0;
        float left = Float.MAX_VALUE;
        float right = -Float.MAX_VALUE;
        float baseline = 0;
        for (TextPosition position : positions) {
            left = Math.min(left, position.getXDirAdj());
            right = Math.max(right, position.getXDirAdj() + position.getWidthDirAdj());
            String unicode = position.getUnicode();
            int count = unicode == null || unicode.isBlank() ? 0 : unicode.strip().length();
            if (count == 0) {
                continue;
            }
            float size = position.getFontSizeInPt() > 0 ? position.getFontSizeInPt() : position.getYScale();
            lettersBySize.merge(PdfLine.bucket(size), count, Integer::sum);
            letters += count;
            if (isBold(position.getFont())) {
                boldLetters += count;
            }
            baseline = Math.max(baseline, position.getYDirAdj());
        }
        float size = lettersBySize.entrySet().stream()
                .max(Map.Entry.<Float, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(1f);
        return new PdfLine(getCurrentPageNo(), text.toString().strip(), size > 0 ? size : 1f,
                letters > 0 && boldLetters >= letters * BOLD_SHARE, letters, left, right, baseline, pageHeight);
    }

    private boolean isBold(PDFont font) {
        if (font == null) {
            return false;
        }
        return boldFonts.computeIfAbsent(font, PdfLineCollector::declaresBold);
    }

    /** Bold by name ("Arial-BoldMT", "ABCDEF+Inter-SemiBold") or by the weight its descriptor declares. */
    private static boolean declaresBold(PDFont font) {
        String name = font.getName() == null ? "" : font.getName().toLowerCase(Locale.ROOT);
        if (name.contains("bold") || name.contains("black") || name.contains("heavy") || name.contains("demi")) {
            return true;
        }
        PDFontDescriptor descriptor = font.getFontDescriptor();
        return descriptor != null && (descriptor.isForceBold() || descriptor.getFontWeight() >= 600);
    }
}
