package dev.groundwork.model.embed;

/**
 * How a sentence vector is made from a transformer's token vectors, as in sentence-transformers' Pooling module.
 * Both read a row-major {@code [rows, tokens, dims]} hidden-state array and skip padding through the attention
 * mask; the result is not normalised.
 */
public enum Pooling {

    /** The mean of the token vectors under the attention mask (all-MiniLM, e5). */
    MEAN {
        @Override
        float[] pool(float[] hidden, long[] mask, int row, int tokens, int dims) {
            float[] sum = new float[dims];
            int counted = 0;
            for (int t = 0; t < tokens; t++) {
                if (mask[row * tokens + t] == 0) {
                    continue;
                }
                counted++;
                int base = (row * tokens + t) * dims;
                for (int d = 0; d < dims; d++) {
                    sum[d] += hidden[base + d];
                }
            }
            // sentence-transformers clamps the count at 1e-9; a row always holds [CLS] and [SEP], so counted > 0.
            float divisor = Math.max(counted, 1e-9f);
            for (int d = 0; d < dims; d++) {
                sum[d] /= divisor;
            }
            return sum;
        }
    },

    /** The vector of the first token, {@code [CLS]} (bge). */
    CLS {
        @Override
        float[] pool(float[] hidden, long[] mask, int row, int tokens, int dims) {
            float[] first = new float[dims];
            System.arraycopy(hidden, row * tokens * dims, first, 0, dims);
            return first;
        }
    };

    abstract float[] pool(float[] hidden, long[] mask, int row, int tokens, int dims);

    /** Scales {@code vector} in place to unit length (a zero vector stays zero) and returns it. */
    static float[] normalize(float[] vector) {
        double squares = 0;
        for (float v : vector) {
            squares += (double) v * v;
        }
        // Same floor as torch.nn.functional.normalize, which sentence-transformers' Normalize module uses.
        double norm = Math.max(Math.sqrt(squares), 1e-12);
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (vector[i] / norm);
        }
        return vector;
    }
}
