package dev.groundwork.ingest.parse;

import java.util.Locale;
import java.util.Set;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML SAX events that Tika emits for every format into headings and body blocks.
 *
 * <p>Block elements ({@code p}, {@code li}, {@code div}, ...) end the current block, {@code h1}..{@code h6}
 * make headings, a table row becomes one block with its cells joined by {@code " | "}, {@code pre} keeps its
 * line breaks, and each {@code <div class="page">} (Tika's PDF output) advances the 1-based page number.
 * Text in {@code head}, {@code script} and {@code style} is skipped. Not thread-safe: one handler per parse.
 */
final class XhtmlStructureHandler extends DefaultHandler {

    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
            "table", "caption", "section", "article", "header", "footer", "nav", "aside", "address", "figure",
            "figcaption", "form", "fieldset", "hr", "main", "body");
    private static final Set<String> SKIPPED = Set.of("head", "title", "script", "style", "template");

    private final StructuredTextBuilder builder;
    private final StringBuilder current = new StringBuilder();
    private int headingLevel;
    private int preDepth;
    private int rowDepth;
    private boolean cellSeen;
    private int skipDepth;
    private int page;

    XhtmlStructureHandler(StructuredTextBuilder builder) {
        this.builder = builder;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        String name = name(localName, qName);
        if (skipDepth > 0 || SKIPPED.contains(name)) {
            skipDepth++;
            return;
        }
        if (rowDepth > 0) {
            // Inside a table row everything (cell paragraphs included) belongs to the row's block.
            if (name.equals("td") || name.equals("th")) {
                if (cellSeen) {
                    current.append(" | ");
                }
                cellSeen = true;
            } else if (name.equals("tr")) {
                rowDepth++;
            } else {
                current.append(' ');
            }
            return;
        }
        int level = headingLevel(name);
        if (level > 0) {
            flush();
            headingLevel = level;
        } else if (name.equals("tr")) {
            flush();
            rowDepth = 1;
            cellSeen = false;
        } else if (name.equals("pre")) {
            flush();
            preDepth++;
        } else if (name.equals("br")) {
            current.append(preDepth > 0 ? "\n" : " ");
        } else if (BLOCKS.contains(name) && headingLevel == 0 && preDepth == 0) {
            flush();
            if (name.equals("div") && "page".equals(attributes.getValue("class"))) {
                page++;
            }
        } else {
            // Inline elements (a, b, span, ...) separate nothing, but td outside a tr should not glue words.
            if (name.equals("td") || name.equals("th")) {
                current.append(' ');
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = name(localName, qName);
        if (skipDepth > 0) {
            skipDepth--;
            return;
        }
        if (rowDepth > 0) {
            if (name.equals("tr") && --rowDepth == 0) {
                flush();
            }
            return;
        }
        if (headingLevel(name) > 0 && headingLevel > 0) {
            flush();
        } else if (name.equals("pre")) {
            flush();
            preDepth = Math.max(0, preDepth - 1);
        } else if (BLOCKS.contains(name) && headingLevel == 0 && preDepth == 0) {
            flush();
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (skipDepth == 0) {
            current.append(ch, start, length);
            builder.ensureRoom(current.length());
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    @Override
    public void endDocument() {
        flush();
    }

    private void flush() {
        Integer pageNumber = page > 0 ? page : null;
        if (headingLevel > 0) {
            builder.addHeading(headingLevel, current, pageNumber);
            headingLevel = 0;
        } else if (preDepth > 0) {
            builder.addPreformatted(current, pageNumber);
        } else {
            builder.addBody(current, pageNumber);
        }
        current.setLength(0);
    }

    private static int headingLevel(String name) {
        if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
            return name.charAt(1) - '0';
        }
        return 0;
    }

    private static String name(String localName, String qName) {
        String name = localName == null || localName.isEmpty() ? qName : localName;
        return name.toLowerCase(Locale.ROOT);
    }
}
