package dev.groundwork.ingest.parse;

/**
 * One text line of a PDF page as {@link PdfLineCollector} saw it, with the font facts that heading detection needs.
 * Coordinates are in points, measured from the page's top-left corner, y growing downwards.
 *
 * @param page 1-based page number
 * @param text the line's text as PDFBox extracted it (words separated by spaces), never blank
 * @param fontSize the size in points that most of the line's letters have
 * @param bold whether nearly all of the line's letters are set in a bold font
 * @param letters how many non-space characters the line has (its weight in the font statistics)
 * @param left x of the line's first glyph
 * @param right x after the line's last glyph
 * @param baseline y of the line's baseline
 * @param pageHeight the height of the line's page
 */
record PdfLine(int page, String text, float fontSize, boolean bold, int letters, float left, float right,
        float baseline, float pageHeight) {

    PdfLine {
        if (page < 1) {
            throw new IllegalArgumentException("page must be >= 1, was " + page);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a line must have text");
        }
        if (!(fontSize > 0)) {
            throw new IllegalArgumentException("fontSize must be > 0, was " + fontSize);
        }
    }

    /** The font size rounded to half a point, so that 11.98 and 12.0 count as one size. */
    float sizeBucket() {
        return bucket(fontSize);
    }

    static float bucket(float size) {
        return Math.round(size * 2) / 2f;
    }

    /** Whether the line sits in the top or bottom eighth of its page, where running headers and footers live. */
    boolean inPageMargin() {
        return pageHeight > 0 && (baseline < pageHeight * 0.125f || baseline > pageHeight * 0.875f);
    }
}
