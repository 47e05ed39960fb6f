package dev.groundwork.model.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The token embedding table: row lookup by token id. Dense tables ({@link Dense}) return the stored rows;
 * {@link Int8Matrix} returns its dequantized rows. Immutable; arrays belong to the model's manager.
 */
interface TokenEmbedding {

    /**
     * @param ids {@code [T]} int64 token ids
     * @return {@code [T, hidden]} rows in {@code type}, created in the caller's NDScope
     */
    NDArray lookup(NDArray ids, DataType type);

    /** Bytes read to look up one token. */
    long rowBytes();

    /** A table held as is (fp32 or fp16), {@code [vocab, hidden]}. */
    record Dense(NDArray table) implements TokenEmbedding {

        @Override
        public NDArray lookup(NDArray ids, DataType type) {
            return table.get(ids).toType(type, false);
        }

        @Override
        public long rowBytes() {
            return table.getShape().get(1) * table.getDataType().getNumOfBytes();
        }
    }
}
