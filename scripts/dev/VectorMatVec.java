import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Experiment, not product code: could a Java Vector API kernel multiply 16-bit weights by a vector faster than
 * libtorch's fp16 kernel on this CPU? Runs one decode step's products of the Qwen2.5-0.5B shape (24 × q/k/v, o,
 * gate/up, down, then the vocabulary projection: 0.99 GB of weights) over heap arrays and prints GB/s.
 *
 * <pre>java --add-modules jdk.incubator.vector scripts/dev/VectorMatVec.java bf16|fp16 THREADS</pre>
 *
 * <p>Two weights are read as one int lane: the low halves multiply the even inputs, the high halves the odd
 * ones, so a bf16 weight costs one shift or mask, and fp16 three more integer ops and a multiply (the exponent
 * re-biased by 2^112, exact for normal and subnormal values). Results: docs/benchmarks.md.
 */
public final class VectorMatVec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;

    private static FloatVector low(IntVector v, boolean fp16) {
        IntVector bits = v.lanewise(VectorOperators.LSHL, 16);
        return fp16 ? fromHalfBits(bits) : bits.reinterpretAsFloats();
    }

    private static FloatVector high(IntVector v, boolean fp16) {
        IntVector bits = v.and(0xFFFF0000);
        return fp16 ? fromHalfBits(bits) : bits.reinterpretAsFloats();
    }

    /** fp16 bits in the top half of each lane → fp32: move exponent and mantissa down 3, keep the sign, re-bias. */
    private static FloatVector fromHalfBits(IntVector top) {
        return top.lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
    }

    /** Rows {@code [r0, r1)} of {@code w [rows, n]} times x, x given as its even and odd elements. */
    static void multiply(short[] w, float[] even, float[] odd, float[] y, int n, int r0, int r1, boolean fp16) {
        for (int r = r0; r + 2 <= r1; r += 2) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, c0 = a0, c1 = a0;
            int b0 = r * n, b1 = b0 + n;
            for (int i = 0; i < n; i += 32) {
                FloatVector xe = FloatVector.fromArray(F, even, i >> 1);
                FloatVector xo = FloatVector.fromArray(F, odd, i >> 1);
                IntVector v0 = ShortVector.fromArray(S, w, b0 + i).reinterpretAsInts();
                IntVector v1 = ShortVector.fromArray(S, w, b1 + i).reinterpretAsInts();
                a0 = low(v0, fp16).fma(xe, a0);
                c0 = high(v0, fp16).fma(xo, c0);
                a1 = low(v1, fp16).fma(xe, a1);
                c1 = high(v1, fp16).fma(xo, c1);
            }
            y[r] = a0.add(c0).reduceLanes(VectorOperators.ADD);
            y[r + 1] = a1.add(c1).reduceLanes(VectorOperators.ADD);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean fp16 = args.length > 0 && args[0].equals("fp16");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int layers = 24;
        int[][] shapes = {{1152, 896}, {896, 896}, {9728, 896}, {896, 4864}};
        Random random = new Random(1);
        short[][][] weights = new short[layers][shapes.length][];
        long bytes = 0;
        for (short[][] layer : weights) {
            for (int s = 0; s < shapes.length; s++) {
                layer[s] = randomHalf(shapes[s][0] * shapes[s][1], random);
                bytes += 2L * layer[s].length;
            }
        }
        short[] head = randomHalf(151936 * 896, random);
        bytes += 2L * head.length;
        float[] even = new float[4864 / 2];
        float[] odd = new float[4864 / 2];
        for (int i = 0; i < even.length; i++) {
            even[i] = random.nextFloat();
            odd[i] = random.nextFloat();
        }
        float[] y = new float[151936];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        double best = Double.MAX_VALUE;
        for (int step = 0; step < 40; step++) {
            long t = System.nanoTime();
            for (short[][] layer : weights) {
                for (int s = 0; s < shapes.length; s++) {
                    parallel(pool, threads, layer[s], even, odd, y, shapes[s][1], shapes[s][0], fp16);
                }
            }
            parallel(pool, threads, head, even, odd, y, 896, 151936, fp16);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        pool.shutdown();
        System.out.printf("Java %s, Vector API %s, %d threads: best step %.1f ms = %.1f GB/s (%.1f steps/s)%n",
                Runtime.version().feature(), fp16 ? "fp16" : "bf16", threads, best * 1e3, bytes / best / 1e9, 1 / best);
    }

    private static void parallel(ExecutorService pool, int threads, short[] w, float[] even, float[] odd, float[] y,
            int n, int rows, boolean fp16) throws Exception {
        int per = (rows / threads + 1) & ~1;
        Future<?>[] rest = new Future<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = Math.min(rows, t * per);
            int to = Math.min(rows, (t + 1) * per);
            rest[t - 1] = pool.submit(() -> multiply(w, even, odd, y, n, from, to, fp16));
        }
        multiply(w, even, odd, y, n, 0, Math.min(rows, per), fp16);
        for (Future<?> f : rest) {
            f.get();
        }
    }

    private static short[] randomHalf(int n, Random random) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) (0x3000 + random.nextInt(0x800));
        }
        return s;
    }
}
