package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fp32 prompt products on AVX-512 FMA ({@code gemm_fma.c}, {@link NativePrefill} for
 * {@link LoadOptions.Prefill#NATIVE}) against float64: every weight storage, shapes with tails in rows (blocks of 14),
 * outputs (blocks of 32) and columns, columns in two slices, and a whole int8 model; and the prompt's attention on FMA
 * ({@code attention_fma.c}) against float64 softmax attention. The product needs AVX-512; on a
 * processor without it the tests that multiply are skipped, saying so, and the refusal is checked instead.
 */
class FmaProductTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void kernelsLoaded() {
        NativeKernelsTest.assumeLoaded();
    }

    private static NativePrefillTest.Product fma(long pool) {
        return (dtype, w, scales, group, n, k, x, t, bias, y) ->
                NativeKernels.gemmFma(pool, dtype, w, scales, group, n, k, x, t, bias, y);
    }

    @Test
    void fp32ProductsMatchFloat64ForEveryStorage() {
        try (NativePool pool = new NativePool(2, NativeKernels.AVX512)) {
            assumeTrue(pool.isa().equals("avx512"), "this processor has no AVX-512");
            // {t, n, k}: whole blocks; tails everywhere; one row; an output tail of exactly 16 (one zmm unused);
            // columns fewer than 16; 300 rows (308 packed, 1 MiB of which is 832 columns) times 1392 columns: two slices,
            // the second starting from the first's sums in y
            int[][] shapes = {{28, 64, 64}, {37, 45, 80}, {1, 33, 96}, {15, 48, 48}, {5, 3, 16}, {300, 70, 1392}};
            long seed = 100;
            for (int dtype : new int[] {NativeKernels.F16, NativeKernels.F32, NativeKernels.Q8}) {
                for (int[] s : shapes) {
                    // measured at most 3e-7 of the terms' magnitudes (fp32 sums); the split-bf16 AMX product,
                    // about 16 significant bits, is off by up to 5.5e-6 on these shapes and would fail
                    NativePrefillTest.checkProduct(fma(pool.handle()), "fma", dtype, s[0], s[1], s[2],
                            seed % 2 == 0, 1e-6, seed++);
                }
            }
        }
    }

    @Test
    void withoutAvx512TheProductIsRefusedAndLeavesYAlone() {
        try (NativePool pool = new NativePool(1, NativeKernels.AVX2)) {
            ByteBuffer w = ByteBuffer.allocateDirect(16 * 16 * 4).order(ByteOrder.nativeOrder());
            ByteBuffer x = ByteBuffer.allocateDirect(16 * 4).order(ByteOrder.nativeOrder());
            ByteBuffer y = ByteBuffer.allocateDirect(16 * 4).order(ByteOrder.nativeOrder());
            y.putFloat(0, 7f);
            int result = NativeKernels.gemmFma(pool.handle(), NativeKernels.F32, NativeKernels.address(w), 0, 0, 16,
                    16, NativeKernels.address(x), 1, 0, NativeKernels.address(y));
            assertThat(result).isEqualTo(NativeKernels.GEMM_UNAVAILABLE);
            assertThat(y.getFloat(0)).isEqualTo(7f);
        }
    }

    @Test
    void int8PromptsOnFmaMatchTheEnginesDequantizedProducts() throws IOException {
        assumeTrue(NativePrefillTest.fmaProducts(NativeKernels.AVX512), "this processor has no AVX-512");
        // same int8 values and scales, both fp32: only the order of the sums differs (measured 2.4e-6 on logits up
        // to 4)
        assertThat(NativePrefillTest.int8PromptDifference(tmp.resolve("int8"), 57L, LoadOptions.Prefill.NATIVE,
                "native kernels, fp32 FMA")).isLessThan(1e-5);
    }

    @Test
    void promptAttentionOnFmaGivesEachQueryItsOwnCausalRange() {
        try (NativePool pool = new NativePool(2, NativeKernels.AVX512)) {
            assumeTrue(pool.isa().equals("avx512"), "this processor has no AVX-512");
            long handle = pool.handle();
            NativePrefillTest.Attention fma = (q, qStride, keys, values, kvHeads, groups, headDim, capacity, rows,
                    position, window, scale, out) -> NativeKernels.attentionRowsFma(handle, q, qStride, keys, values,
                            kvHeads, groups, headDim, capacity, rows, position, window, scale, out);
            // {head width, query heads per key/value head, first position, rows, window}: Qwen2.5's 7 heads per group
            // over blocks of 14 vectors; a prompt after cached positions; one query; 600 cached keys (three tiles of
            // 256); a window the later rows outgrow and one that starts past a tile; head widths 128, 96, 80 (a
            // 16-wide last slice of the output) and 16; multi-head attention (1 per group)
            int[][] cases = {{64, 7, 0, 9, 0}, {64, 7, 37, 20, 0}, {64, 3, 70, 1, 0}, {64, 2, 600, 40, 0},
                {64, 3, 5, 60, 17}, {64, 4, 300, 33, 40}, {128, 2, 10, 21, 0}, {96, 1, 3, 70, 0}, {80, 5, 50, 9, 0},
                {16, 7, 20, 11, 6}};
            long seed = 30;
            for (int[] c : cases) {
                // measured 4e-7 to 1.9e-6 (fp32 throughout); the split-bf16 AMX kernel is off by 1.7e-5 to 3.5e-5
                assertThat(NativePrefillTest.attentionError(fma, c[0], c[1], c[2], c[3], c[4], seed++))
                        .as("{d, groups, position, rows, window} " + java.util.Arrays.toString(c)).isLessThan(5e-6);
            }
        }
    }
}
