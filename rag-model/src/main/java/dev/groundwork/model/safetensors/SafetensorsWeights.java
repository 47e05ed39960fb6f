package dev.groundwork.model.safetensors;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}'s {@code weight_map}. Thread-safe; close it to release the files.
 */
public final class SafetensorsWeights implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Map<Path, SafetensorsFile> files;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsWeights(Map<Path, SafetensorsFile> files, Map<String, TensorInfo> tensors) {
        this.files = files;
        this.tensors = tensors;
    }

    /**
     * Opens the index's shards if {@code model.safetensors.index.json} exists, else {@code model.safetensors}.
     *
     * @throws SafetensorsException naming the missing or invalid file
     */
    public static SafetensorsWeights open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openShards(dir, index);
        }
        Path single = dir.resolve(SINGLE_FILE);
        if (!Files.isRegularFile(single)) {
            throw new SafetensorsException("model folder " + dir + " has neither " + SINGLE_FILE + " nor "
                    + INDEX_FILE);
        }
        SafetensorsFile file = SafetensorsFile.open(single);
        return new SafetensorsWeights(Map.of(single, file), file.tensors());
    }

    private static SafetensorsWeights openShards(Path dir, Path index) {
        Map<String, String> weightMap = new LinkedHashMap<>();
        try {
            JsonObject json = JsonParser.parseString(Files.readString(index)).getAsJsonObject();
            JsonObject map = json.getAsJsonObject("weight_map");
            if (map == null) {
                throw new SafetensorsException(index + " has no weight_map");
            }
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                weightMap.put(e.getKey(), e.getValue().getAsString());
            }
        } catch (IOException e) {
            throw new SafetensorsException("cannot read " + index + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new SafetensorsException(index + " is not a valid index (JSON object with a weight_map)", e);
        }
        Map<Path, SafetensorsFile> files = new LinkedHashMap<>();
        try {
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                Path shard = dir.resolve(e.getValue()).normalize();
                if (!shard.startsWith(dir.normalize())) {
                    throw new SafetensorsException(index + " points outside the model folder: " + e.getValue());
                }
                SafetensorsFile file = files.get(shard);
                if (file == null) {
                    file = SafetensorsFile.open(shard);
                    files.put(shard, file);
                }
                TensorInfo info = file.tensors().get(e.getKey());
                if (info == null) {
                    throw new SafetensorsException(index + " maps tensor '" + e.getKey() + "' to " + shard
                            + ", which does not contain it");
                }
                tensors.put(e.getKey(), info);
            }
            return new SafetensorsWeights(files, Collections.unmodifiableMap(tensors));
        } catch (RuntimeException e) {
            files.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    /** All tensors by name. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    public Optional<TensorInfo> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** @throws SafetensorsException naming the tensor if the checkpoint lacks it */
    public TensorInfo require(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsException("the checkpoint has no tensor '" + name + "' (files: " + fileNames() + ")");
        }
        return t;
    }

    /** Converts a slice of a tensor to float32 into {@code dst}; see {@link SafetensorsFile#readFloats}. */
    public void readFloats(TensorInfo tensor, long first, FloatBuffer dst) {
        SafetensorsFile file = files.get(tensor.file());
        if (file == null) {
            throw new IllegalArgumentException(tensor + " does not belong to these weights");
        }
        file.readFloats(tensor, first, dst);
    }

    /** A whole (small) tensor as a float array on the heap; for norms, biases and tests. */
    public float[] readAll(String name) {
        TensorInfo t = require(name);
        if (t.elementCount() > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException("tensor '" + name + "' is too large for a Java array");
        }
        float[] out = new float[(int) t.elementCount()];
        readFloats(t, 0, FloatBuffer.wrap(out));
        return out;
    }

    private List<String> fileNames() {
        List<String> names = new ArrayList<>();
        files.keySet().forEach(p -> names.add(p.getFileName().toString()));
        return names;
    }

    @Override
    public void close() {
        files.values().forEach(SafetensorsFile::close);
    }
}
