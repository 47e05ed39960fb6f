package dev.groundwork.model.llm;

import java.util.Map;

/**
 * An independent float64 forward pass of the Hugging Face Llama / Mistral / Qwen2 / Qwen3 decoder, in plain loops
 * over the checkpoint's stored values: no cache, causal attention over the whole sequence, or on sliding layers
 * over the last {@code sliding_window} positions only (query i sees keys j with {@code i - W < j <= i}).
 */
final class ReferenceForward {

    private final TinyCheckpoint.Spec s;
    private final Map<String, double[]> w;
    private final double[] inverseFrequencies;

    ReferenceForward(TinyCheckpoint checkpoint, double factor, double lowFreq, double highFreq, int originalMax) {
        this.s = checkpoint.spec;
        this.w = checkpoint.values;
        int half = s.headDim() / 2;
        inverseFrequencies = new double[half];
        for (int i = 0; i < half; i++) {
            double inv = 1.0 / Math.pow(10000.0, (double) (2 * i) / s.headDim());
            if (originalMax > 0) {
                // transformers' _compute_llama3_parameters, element by element
                double wavelen = 2 * Math.PI / inv;
                double lowWavelen = originalMax / lowFreq;
                double highWavelen = originalMax / highFreq;
                double scaled = wavelen > lowWavelen ? inv / factor : inv;
                double smooth = (originalMax / wavelen - lowFreq) / (highFreq - lowFreq);
                double smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
                boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
                inv = medium ? smoothed : scaled;
            }
            inverseFrequencies[i] = inv;
        }
    }

    ReferenceForward(TinyCheckpoint checkpoint) {
        this(checkpoint, 1, 1, 4, 0);
    }

    /** Logits {@code [T][V]} for every position. */
    double[][] logits(int[] tokens) {
        int t = tokens.length;
        int d = s.headDim();
        int groups = s.heads() / s.kvHeads();
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) {
            x[i] = row(w.get("model.embed_tokens.weight"), tokens[i], s.hidden());
        }
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] q = new double[t][];
            double[][] k = new double[t][];
            double[][] v = new double[t][];
            for (int i = 0; i < t; i++) {
                double[] h = rmsNorm(x[i], w.get(p + "input_layernorm.weight"));
                q[i] = linear(h, p + "self_attn.q_proj", s.heads() * d);
                k[i] = linear(h, p + "self_attn.k_proj", s.kvHeads() * d);
                v[i] = linear(h, p + "self_attn.v_proj", s.kvHeads() * d);
                for (int head = 0; head < s.heads(); head++) {
                    if (s.qkNorm()) {
                        normHead(q[i], head, w.get(p + "self_attn.q_norm.weight"));
                    }
                    rope(q[i], head, i);
                }
                for (int head = 0; head < s.kvHeads(); head++) {
                    if (s.qkNorm()) {
                        normHead(k[i], head, w.get(p + "self_attn.k_norm.weight"));
                    }
                    rope(k[i], head, i);
                }
            }
            for (int i = 0; i < t; i++) {
                double[] attended = new double[s.heads() * d];
                for (int head = 0; head < s.heads(); head++) {
                    int kvHead = head / groups;
                    int first = s.sliding(l) ? Math.max(0, i - s.slidingWindow() + 1) : 0;
                    double[] scores = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = first; j <= i; j++) {
                        double dot = 0;
                        for (int c = 0; c < d; c++) {
                            dot += q[i][head * d + c] * k[j][kvHead * d + c];
                        }
                        scores[j] = dot / Math.sqrt(d);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = first; j <= i; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = first; j <= i; j++) {
                        for (int c = 0; c < d; c++) {
                            attended[head * d + c] += scores[j] / sum * v[j][kvHead * d + c];
                        }
                    }
                }
                double[] o = linear(attended, p + "self_attn.o_proj", s.hidden());
                for (int c = 0; c < s.hidden(); c++) {
                    x[i][c] += o[c];
                }
            }
            for (int i = 0; i < t; i++) {
                double[] h = rmsNorm(x[i], w.get(p + "post_attention_layernorm.weight"));
                double[] gate = linear(h, p + "mlp.gate_proj", s.intermediate());
                double[] up = linear(h, p + "mlp.up_proj", s.intermediate());
                for (int c = 0; c < gate.length; c++) {
                    gate[c] = gate[c] / (1 + Math.exp(-gate[c])) * up[c];
                }
                double[] down = linear(gate, p + "mlp.down_proj", s.hidden());
                for (int c = 0; c < s.hidden(); c++) {
                    x[i][c] += down[c];
                }
            }
        }
        double[][] logits = new double[t][];
        double[] head = w.get(s.tied() ? "model.embed_tokens.weight" : "lm_head.weight");
        for (int i = 0; i < t; i++) {
            logits[i] = matVec(head, null, rmsNorm(x[i], w.get("model.norm.weight")), s.vocab());
        }
        return logits;
    }

    private void rope(double[] vec, int head, int position) {
        int d = s.headDim();
        int half = d / 2;
        for (int c = 0; c < half; c++) {
            double angle = position * inverseFrequencies[c];
            double a = vec[head * d + c];
            double b = vec[head * d + c + half];
            vec[head * d + c] = a * Math.cos(angle) - b * Math.sin(angle);
            vec[head * d + c + half] = b * Math.cos(angle) + a * Math.sin(angle);
        }
    }

    private void normHead(double[] vec, int head, double[] weight) {
        int d = s.headDim();
        double[] part = new double[d];
        System.arraycopy(vec, head * d, part, 0, d);
        System.arraycopy(rmsNorm(part, weight), 0, vec, head * d, d);
    }

    private static double[] rmsNorm(double[] x, double[] weight) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        double scale = 1 / Math.sqrt(sum / x.length + 1e-6);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * scale * weight[i];
        }
        return out;
    }

    private double[] linear(double[] x, String prefix, int out) {
        return matVec(w.get(prefix + ".weight"), w.get(prefix + ".bias"), x, out);
    }

    private static double[] matVec(double[] weight, double[] bias, double[] x, int out) {
        double[] y = new double[out];
        for (int r = 0; r < out; r++) {
            double acc = bias == null ? 0 : bias[r];
            for (int c = 0; c < x.length; c++) {
                acc += weight[r * x.length + c] * x[c];
            }
            y[r] = acc;
        }
        return y;
    }

    private static double[] row(double[] matrix, int r, int width) {
        double[] out = new double[width];
        System.arraycopy(matrix, r * width, out, 0, width);
        return out;
    }
}
