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

    /** {@code {cos, sin}}, each {@code [count, 1, headDim]}, for positions {@code [first, first + count)}. */
    NDArray[] cosSin(NDManager manager, int first, int count, DataType dataType) {
        int half = headDim / 2;
        float[] cos = new float[count * headDim];
        float[] sin = new float[count * headDim];
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < half; i++) {
                double angle = (first + t) * inverseFrequencies[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[t * headDim + i] = c;
                cos[t * headDim + i + half] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + i + half] = s;
            }
        }
        Shape shape = new Shape(count, 1, headDim);
        return new NDArray[] {
            manager.create(cos, shape).toType(dataType, false), manager.create(sin, shape).toType(dataType, false)
        };
    }
}
