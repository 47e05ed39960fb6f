package dev.groundwork.model.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header mapping tensor names to dtype,
 * shape and data offsets, then the raw little-endian data.
 *
 * <p>Only the header is read when the file is opened; tensor data is memory-mapped window by window while it is
 * converted, so files of any size work and nothing of the file is copied onto the Java heap. Thread-safe after
 * construction; close it to release the file handle.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Headers beyond this are corrupt rather than large: real ones are a few hundred KB. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    /** Data is mapped in windows of this size (MappedByteBuffer is int-indexed). */
    private static final int WINDOW_BYTES = 64 << 20;

    private final Path file;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(Path file, FileChannel channel, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.channel = channel;
        this.tensors = tensors;
    }

    /** @throws SafetensorsException naming the file if it is missing, truncated or its header is invalid */
    public static SafetensorsFile open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException("safetensors file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new SafetensorsException("cannot open safetensors file " + file + ": " + e.getMessage(), e);
        }
        try {
            return new SafetensorsFile(file, channel, readHeader(file, channel));
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof SafetensorsException se) {
                throw se;
            }
            throw new SafetensorsException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, TensorInfo> readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafetensorsException("safetensors file " + file + " is too short (" + size + " bytes)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
            throw new SafetensorsException("safetensors file " + file + " has an invalid header length "
                    + headerLength + " (file size " + size + ")");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonObject header;
        try {
            header = JsonParser.parseString(new String(headerBytes.array(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new SafetensorsException("safetensors file " + file + " has a malformed JSON header", e);
        }
        long dataStart = 8 + headerLength;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : header.entrySet()) {
            String name = entry.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            try {
                JsonObject t = entry.getValue().getAsJsonObject();
                Dtype dtype = Dtype.parse(t.get("dtype").getAsString(), name, file.toString());
                var shapeJson = t.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                }
                var offsets = t.getAsJsonArray("data_offsets");
                long begin = offsets.get(0).getAsLong();
                long end = offsets.get(1).getAsLong();
                if (begin < 0 || end < begin || dataStart + end > size) {
                    throw new SafetensorsException("tensor '" + name + "' in " + file + " has data offsets ["
                            + begin + ", " + end + "] outside the file's " + (size - dataStart) + " data bytes");
                }
                tensors.put(name, new TensorInfo(name, dtype, shape, file, dataStart + begin, end - begin));
            } catch (NullPointerException | IllegalStateException | UnsupportedOperationException
                    | IndexOutOfBoundsException | NumberFormatException e) {
                throw new SafetensorsException("tensor '" + name + "' in " + file
                        + " has an incomplete header entry (needs dtype, shape, data_offsets)", e);
            }
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    public Path file() {
        return file;
    }

    /** The tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * Converts elements {@code [first, first + dst.remaining())} of a tensor of this file to float32 into
     * {@code dst}, mapping the file in windows.
     */
    public void readFloats(TensorInfo tensor, long first, FloatBuffer dst) {
        if (!tensor.file().equals(file)) {
            throw new IllegalArgumentException(tensor + " is not in " + file);
        }
        long count = dst.remaining();
        if (first < 0 || first + count > tensor.elementCount()) {
            throw new IndexOutOfBoundsException("elements [" + first + ", " + (first + count) + ") of " + tensor);
        }
        int elementBytes = tensor.dtype().bytes();
        long position = tensor.start() + first * elementBytes;
        long remaining = count;
        try {
            while (remaining > 0) {
                int n = (int) Math.min(remaining, WINDOW_BYTES / elementBytes);
                MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, position, (long) n * elementBytes);
                window.order(ByteOrder.LITTLE_ENDIAN);
                tensor.dtype().toFloats(window, dst, n);
                Unmapper.unmap(window);
                position += (long) n * elementBytes;
                remaining -= n;
            }
        } catch (IOException e) {
            throw new SafetensorsException("cannot read tensor '" + tensor.name() + "' from " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new SafetensorsException("cannot close " + file, e);
        }
    }
}
