package org.vipgate.gateway.services.config;

import java.util.Arrays;

/**
 * Removes comments from JSON text the way VOLTTRON does before it parses a {@code json} config
 * (docs/protocol/platform-services.md, configuration store types), and remembers where each kept character came
 * from so that errors can point into the text the user wrote.
 *
 * <p>The text is read left to right; at each position the first rule that applies wins:
 * <ol>
 *   <li>a quoted string, in double <em>or</em> single quotes, is kept as it is. It ends at the first quote of
 *       the same kind that is not escaped by a backslash; if there is none, at the last quote of that kind in the
 *       text; if there is no such quote at all, the quote character is an ordinary character;</li>
 *   <li>{@code /*} up to the first following {@code *}{@code /} is removed (an unterminated one is kept);</li>
 *   <li>{@code #} or {@code //} up to, not including, the next line feed is removed;</li>
 *   <li>any other character is kept.</li>
 * </ol>
 * Removed comments leave nothing behind, not even a space, as in VOLTTRON.
 */
final class JsonCommentStripper {

    private final String stripped;
    /** Start offsets of the kept runs in the stripped text, ascending. */
    private final int[] runStripped;
    /** Start offsets of the same runs in the original text. */
    private final int[] runOriginal;
    private final int originalLength;

    private JsonCommentStripper(String stripped, int[] runStripped, int[] runOriginal, int originalLength) {
        this.stripped = stripped;
        this.runStripped = runStripped;
        this.runOriginal = runOriginal;
        this.originalLength = originalLength;
    }

    static JsonCommentStripper strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int[] runS = new int[8];
        int[] runO = new int[8];
        int runs = 0;
        int n = text.length();
        int i = 0;
        boolean inRun = false;
        while (i < n) {
            char c = text.charAt(i);
            int keepEnd = -1;   // exclusive end of a kept piece starting at i
            int dropEnd = -1;   // exclusive end of a removed comment starting at i
            if (c == '"' || c == '\'') {
                int close = closingQuote(text, i);
                keepEnd = close < 0 ? i + 1 : close + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    keepEnd = i + 1;
                } else {
                    dropEnd = close + 2;
                }
            } else if (c == '#' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '/')) {
                int lf = text.indexOf('\n', i);
                dropEnd = lf < 0 ? n : lf;
            } else {
                keepEnd = i + 1;
            }
            if (dropEnd >= 0) {
                inRun = false;
                i = dropEnd;
                continue;
            }
            if (!inRun) {
                if (runs == runS.length) {
                    runS = Arrays.copyOf(runS, runs * 2);
                    runO = Arrays.copyOf(runO, runs * 2);
                }
                runS[runs] = out.length();
                runO[runs] = i;
                runs++;
                inRun = true;
            }
            out.append(text, i, keepEnd);
            i = keepEnd;
        }
        return new JsonCommentStripper(out.toString(), Arrays.copyOf(runS, runs), Arrays.copyOf(runO, runs), n);
    }

    /** The text without comments. */
    String text() {
        return stripped;
    }

    /** The offset in the original text of the character at {@code strippedOffset} (or of the end). */
    int originalOffset(int strippedOffset) {
        if (runStripped.length == 0) {
            return originalLength; // only comments: the end of what was written
        }
        int run = Arrays.binarySearch(runStripped, strippedOffset);
        if (run < 0) {
            run = Math.max(0, -run - 2); // the run that holds the offset (runs are never empty)
        }
        return Math.min(originalLength, runOriginal[run] + (strippedOffset - runStripped[run]));
    }

    /**
     * Where the string that opens at {@code open} ends (index of its closing quote), or -1 if it does not. A
     * backslash escapes the next character; when no unescaped closing quote follows, the last quote of the same
     * kind closes it (that is where a backtracking regular expression would stop).
     */
    private static int closingQuote(String text, int open) {
        char quote = text.charAt(open);
        int n = text.length();
        int j = open + 1;
        while (j < n) {
            char c = text.charAt(j);
            if (c == quote) {
                return j;
            }
            j += c == '\\' && j + 1 < n ? 2 : 1;
        }
        int last = text.lastIndexOf(quote);
        return last > open ? last : -1;
    }
}
