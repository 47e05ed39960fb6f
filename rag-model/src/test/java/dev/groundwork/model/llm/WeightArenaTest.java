package dev.groundwork.model.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightArena}: arrays are the arena's memory (not copies), zeroed, carved one after another out of a slab so
 * that no array is rounded up to a huge page, and larger arrays get memory of their own.
 */
class WeightArenaTest {

    @BeforeAll
    static void kernelsLoaded() {
        NativeKernelsTest.assumeLoaded();
    }

    private static long address(NDArray array) {
        return NativeKernels.address(NativeKernels.memoryOf(array, array.getDataType()));
    }

    @Test
    void arraysAreCarvedOneAfterAnotherFromASlabAndAreItsMemory() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager(); WeightArena arena = new WeightArena()) {
            // a fused q/k/v projection of Qwen2.5-0.5B in fp16 (2,064,384 bytes: 4 MiB if rounded to huge pages),
            // then an odd size that the next array must start 64-byte aligned after
            NDArray qkv = arena.zeros(manager, 1152L * 896, DataType.FLOAT16);
            NDArray odd = arena.zeros(manager, 300_001, DataType.FLOAT32);
            NDArray next = arena.zeros(manager, 300_000, DataType.FLOAT32);
            assertThat(address(qkv) % (2 << 20)).as("a slab starts on a huge page").isZero();
            assertThat(address(odd)).isEqualTo(address(qkv) + 1152L * 896 * 2);
            assertThat(address(next)).isEqualTo(address(odd) + (300_001L * 4 + 63) / 64 * 64);
            // zeroed, and a write through the engine is a write to the arena's memory
            ByteBuffer memory = NativeKernels.memoryOf(odd, DataType.FLOAT32);
            assertThat(memory.getFloat(300_000 * 4)).isZero();
            odd.set(new ai.djl.ndarray.index.NDIndex("300000"), 2.5f);
            assertThat(memory.getFloat(300_000 * 4)).isEqualTo(2.5f);
            assertThat(NativeKernels.memoryOf(next, DataType.FLOAT32).getFloat(0)).as("the next array").isZero();
            // more than half a slab: memory of its own, on its own huge pages
            long largeBytes = WeightArena.SLAB_BYTES / 4 * 3;
            NDArray large = arena.zeros(manager, largeBytes / 4, DataType.FLOAT32);
            assertThat(address(large) % (2 << 20)).isZero();
            assertThat(address(large) + largeBytes <= address(qkv)
                    || address(large) >= address(qkv) + WeightArena.SLAB_BYTES).as("outside the slab").isTrue();
            // a slab that cannot take the next array is left for a new one
            NDArray filler = arena.zeros(manager, WeightArena.SLAB_BYTES / 2 / 2, DataType.FLOAT16);
            NDArray overflow = arena.zeros(manager, WeightArena.SLAB_BYTES / 2 / 2, DataType.FLOAT16);
            assertThat(address(filler)).isBetween(address(qkv), address(qkv) + WeightArena.SLAB_BYTES);
            assertThat(address(overflow) % (2 << 20)).as("the start of a second slab").isZero();
            assertThat(address(overflow) + WeightArena.SLAB_BYTES / 2 <= address(qkv)
                    || address(overflow) >= address(qkv) + WeightArena.SLAB_BYTES).as("outside the first").isTrue();
            manager.close(); // the arrays before the arena's memory
        }
    }
}
