package dev.groundwork.model.embed;

import java.util.Objects;

/**
 * Padded token ids of several texts, row-major {@code [rows, tokens]}: what one model call receives. Padding
 * positions have mask 0. Arrays are shared, not copied: a batch is built, run once and dropped.
 */
record TokenBatch(long[] ids, long[] attentionMask, long[] typeIds, int rows, int tokens) {

    TokenBatch {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(attentionMask, "attentionMask");
        Objects.requireNonNull(typeIds, "typeIds");
        if (rows <= 0 || tokens <= 0) {
            throw new IllegalArgumentException("empty batch: " + rows + " x " + tokens);
        }
        int size = Math.multiplyExact(rows, tokens);
        if (ids.length != size || attentionMask.length != size || typeIds.length != size) {
            throw new IllegalArgumentException("arrays must hold rows x tokens = " + size + " values");
        }
    }

    /** Pads each row of {@code encoded} (ids, mask, type ids per text) with id 0 to the longest row. */
    static TokenBatch pad(long[][] ids, long[][] masks, long[][] typeIds) {
        int rows = ids.length;
        int tokens = 0;
        for (long[] row : ids) {
            tokens = Math.max(tokens, row.length);
        }
        long[] flatIds = new long[rows * tokens];
        long[] flatMask = new long[rows * tokens];
        long[] flatTypes = new long[rows * tokens];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ids[r], 0, flatIds, r * tokens, ids[r].length);
            System.arraycopy(masks[r], 0, flatMask, r * tokens, masks[r].length);
            System.arraycopy(typeIds[r], 0, flatTypes, r * tokens, typeIds[r].length);
        }
        return new TokenBatch(flatIds, flatMask, flatTypes, rows, tokens);
    }
}
