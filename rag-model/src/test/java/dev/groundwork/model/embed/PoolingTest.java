package dev.groundwork.model.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoolingTest {

    // Two rows of three tokens of two dims; row 1's last token is padding.
    private static final float[] HIDDEN = {
            1, 2, 3, 4, 5, 6,
            10, 20, 30, 40, 1000, 1000,
    };
    private static final long[] MASK = {1, 1, 1, 1, 1, 0};

    @Test
    void meanSkipsPadding() {
        assertThat(Pooling.MEAN.pool(HIDDEN, MASK, 0, 3, 2)).containsExactly(3f, 4f);
        assertThat(Pooling.MEAN.pool(HIDDEN, MASK, 1, 3, 2)).containsExactly(20f, 30f);
    }

    @Test
    void clsTakesTheFirstTokenOfTheRow() {
        assertThat(Pooling.CLS.pool(HIDDEN, MASK, 1, 3, 2)).containsExactly(10f, 20f);
    }

    @Test
    void normalizesToUnitLengthAndLeavesZeroAlone() {
        float[] v = Pooling.normalize(new float[] {3, 4});
        assertThat(v[0]).isCloseTo(0.6f, within(1e-7f));
        assertThat(v[1]).isCloseTo(0.8f, within(1e-7f));
        assertThat(Pooling.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
    }

    @Test
    void padsRowsToTheLongestWithMaskZero() {
        TokenBatch batch = TokenBatch.pad(new long[][] {{101, 7, 102}, {101, 102}},
                new long[][] {{1, 1, 1}, {1, 1}}, new long[][] {{0, 0, 0}, {0, 0}});
        assertThat(batch.tokens()).isEqualTo(3);
        assertThat(batch.ids()).containsExactly(101, 7, 102, 101, 102, 0);
        assertThat(batch.attentionMask()).containsExactly(1, 1, 1, 1, 1, 0);
    }
}
