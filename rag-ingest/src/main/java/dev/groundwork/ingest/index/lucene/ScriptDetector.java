package dev.groundwork.ingest.index.lucene;

/**
 * Decides which analyzer a text needs by its script: Chinese (Han) or everything else (treated as English).
 *
 * <p>Han characters are words or word parts on their own while Latin words take several letters, so a text
 * counts as Chinese once Han characters make up a quarter of its letters: a Chinese paragraph that names a few
 * English products stays Chinese, an English paragraph quoting one Chinese term stays English. Stateless and
 * thread-safe.
 */
final class ScriptDetector {

    /** Share of Han characters among all letters from which a text is analysed as Chinese. */
    static final double HAN_SHARE = 0.25;

    private ScriptDetector() {
    }

    /** Whether {@code text} is mainly Chinese; false for text without letters. */
    static boolean isChinese(String text) {
        int letters = 0;
        int han = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                han++;
                letters++;
            } else if (Character.isLetter(cp)) {
                letters++;
            }
        }
        return letters > 0 && han >= HAN_SHARE * letters;
    }
}
