package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding tables in Hugging Face's {@code rotate_half} layout: the angle of frequency i is used
 * at columns i and i + headDim/2. Frequencies follow {@code rope_theta} and, when configured, llama3 or linear
 * scaling. Angles are computed in double precision. Immutable and thread-safe.
 */
final class RotaryEmbedding {

    private final double[] inverseFrequencies;
    private final int headDim;

    RotaryEmbedding(ModelConfig c) {
        this.headDim = c.headDim();
        this.inverseFrequencies = inverseFrequencies(c);
    }

    static double[] inverseFrequencies(ModelConfig c) {
        int half = c.headDim() / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim());
        }
        ModelConfig.RopeScaling s = c.ropeScaling();
        if (s == null) {
            return inv;
        }
        if (s.type().equals("linear")) {
            for (int i = 0; i < half; i++) {
                inv[i] /= s.factor();
            }
            return inv;
        }
        // llama3: long wavelengths are slowed by `factor`, short ones kept, the band between interpolated
        double lowWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
        double highWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
        for (int i = 0; i < half; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowWavelen) {
                inv[i] = inv[i] / s.factor();
            } else if (wavelen >= highWavelen) {
                double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                        / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
            }
        }
        return inv;
    }

    /**
     * The angles' cosines and sines for positions {@code [first, first + count)}, each {@code [count, headDim / 2]}
     * row-major: computed in double, rounded to float.
     */
    Angles angles(int first, int count) {
        int half = headDim / 2;
        float[] cos = new float[count * half];
        float[] sin = new float[count * half];
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < half; i++) {
                double angle = (first + t) * inverseFrequencies[i];
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
        return new Angles(cos, sin);
    }

    /** Cosines and sines, {@code [count, headDim / 2]} each. */
    record Angles(float[] cos, float[] sin) {
    }

    /** {@code {cos, sin}}, each {@code [count, 1, headDim]} (both halves of a head alike), for {@code angles}. */
    NDArray[] cosSin(NDManager manager, Angles angles, DataType dataType) {
        int half = headDim / 2;
        int count = angles.cos().length / half;
        float[] cos = new float[count * headDim];
        float[] sin = new float[count * headDim];
        for (int t = 0; t < count; t++) {
            System.arraycopy(angles.cos(), t * half, cos, t * headDim, half);
            System.arraycopy(angles.cos(), t * half, cos, t * headDim + half, half);
            System.arraycopy(angles.sin(), t * half, sin, t * headDim, half);
            System.arraycopy(angles.sin(), t * half, sin, t * headDim + half, half);
        }
        Shape shape = new Shape(count, 1, headDim);
        return new NDArray[] {
            manager.create(cos, shape).toType(dataType, false), manager.create(sin, shape).toType(dataType, false)
        };
    }
}
