package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A row-major {@code [rows, cols]} weight matrix in memory the model owns, as the native kernels read it: fp16 or
 * fp32 ({@link NativeKernels#F16}, {@link NativeKernels#F32}), or int8 ({@link NativeKernels#Q8}) with its
 * {@code [rows, cols / group]} fp32 scales at {@code scales}.
 */
record NativeMatrix(long address, int dtype, int rows, int cols, long scales, int group) {

    /** Decode's {@code y = W·x}. */
    void multiply(NativePool pool, float[] x, float[] y) {
        if (dtype == NativeKernels.Q8) {
            NativeKernels.matVecQ8(pool.handle(), address, scales, group, rows, cols, x, y);
        } else {
            NativeKernels.matVec(pool.handle(), dtype, address, rows, cols, x, y);
        }
    }

    /** Row {@code row} as fp32 (an embedding lookup). */
    void row(int row, float[] out) {
        if (dtype == NativeKernels.Q8) {
            NativeKernels.rowQ8(address, scales, group, row, cols, out);
        } else {
            NativeKernels.row(dtype, address, row, cols, out);
        }
    }

    /**
     * The matrix of a projection.
     *
     * @throws UnsupportedOperationException for a storage the kernels cannot read (a GPU array, another dtype)
     */
    static NativeMatrix of(Projection p) {
        if (p instanceof Linear l) {
            return of(l.weight());
        }
        if (p instanceof Int8Linear q) {
            return of(q.weight());
        }
        throw new UnsupportedOperationException("the native kernels cannot read a " + p.getClass().getSimpleName());
    }

    static NativeMatrix of(Int8Matrix m) {
        return new NativeMatrix(address(m.values(), DataType.INT8), NativeKernels.Q8, Math.toIntExact(m.rows()),
                Math.toIntExact(m.columns()), address(m.scales(), DataType.FLOAT32), m.group());
    }

    /** An fp16 matrix, or else an fp32 one. */
    static NativeMatrix of(NDArray weight) {
        boolean half = weight.getDataType() == DataType.FLOAT16;
        return new NativeMatrix(address(weight, half ? DataType.FLOAT16 : DataType.FLOAT32),
                half ? NativeKernels.F16 : NativeKernels.F32, Math.toIntExact(weight.getShape().get(0)),
                Math.toIntExact(weight.getShape().get(1)), 0, 0);
    }

    static long address(NDArray array, DataType type) {
        return NativeKernels.address(NativeKernels.memoryOf(array, type));
    }
}
