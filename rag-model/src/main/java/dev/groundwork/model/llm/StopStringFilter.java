package dev.groundwork.model.llm;

import java.util.List;

/**
 * Passes generated text through until a stop string appears, holding back any tail that could still become one,
 * so a listener never sees part of a stop string. Not thread-safe: one per generation.
 */
final class StopStringFilter {

    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    StopStringFilter(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Appends generated text; returns the part that is now safe to show (possibly empty). */
    String accept(String piece) {
        if (stopped) {
            return "";
        }
        text.append(piece);
        int searchFrom = Math.max(0, released - longestStop());
        int stopAt = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, searchFrom);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
            }
        }
        if (stopAt >= 0) {
            stopped = true;
            text.setLength(Math.max(stopAt, released));
            return release(text.length());
        }
        return release(text.length() - heldBack());
    }

    /** Everything not yet released (at the end of generation nothing can become a stop string any more). */
    String finish() {
        return release(text.length());
    }

    boolean stopped() {
        return stopped;
    }

    /** The text released so far. */
    String released() {
        return text.substring(0, released);
    }

    /** The text so far, without a matched stop string. */
    String text() {
        return text.toString();
    }

    private String release(int upTo) {
        if (upTo <= released) {
            return "";
        }
        String out = text.substring(released, upTo);
        released = upTo;
        return out;
    }

    /** Length of the longest suffix of the text that is a proper prefix of some stop string. */
    private int heldBack() {
        int best = 0;
        for (String stop : stops) {
            for (int len = Math.min(stop.length() - 1, text.length() - released); len > best; len--) {
                if (stop.startsWith(text.substring(text.length() - len))) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    private int longestStop() {
        return stops.stream().mapToInt(String::length).max().orElse(0);
    }
}
