package dev.groundwork.api.documents;

import dev.groundwork.api.InvalidFieldException;
import dev.groundwork.api.config.RagProperties;
import dev.groundwork.ingest.chunk.DocumentRef;
import dev.groundwork.ingest.pipeline.FileOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartFile;

/**
 * Ingests uploaded files one after the other, synchronously. Each file is stored under its bare name (directories
 * are stripped, so a name cannot climb out of its collection); one bad file never stops the others.
 *
 * <p>Outcome: a response with per-file results when at least one file was ingested (failed ones carry a reason);
 * a 415 problem when every file has an unsupported type; a 422 problem when every file failed otherwise; a 413
 * problem when a file exceeds {@code rag.max-upload-size} (Tomcat's multipart limits usually reject it first).
 * Thread-safe.
 */
@Service
public class DocumentUploads {

    private static final Logger log = LoggerFactory.getLogger(DocumentUploads.class);
    private static final Pattern COLLECTION = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,63}");

    private final DocumentIngestion ingestion;
    private final RagProperties properties;

    public DocumentUploads(DocumentIngestion ingestion, RagProperties properties) {
        this.ingestion = ingestion;
        this.properties = properties;
    }

    /**
     * @param collection target collection, or {@code null} for {@code rag.default-collection}
     * @throws InvalidFieldException if there is no file or the collection name is not usable
     * @throws MaxUploadSizeExceededException if a file is larger than {@code rag.max-upload-size}
     * @throws UploadRejectedException if no file could be ingested
     */
    public UploadResponse upload(String collection, List<MultipartFile> files) {
        String target = collectionName(collection);
        if (files == null || files.isEmpty()) {
            throw new InvalidFieldException("files", "files must hold at least one file");
        }
        long limit = properties.maxUploadSize().toBytes();
        for (MultipartFile file : files) {
            if (file.getSize() > limit) {
                throw new MaxUploadSizeExceededException(limit);
            }
        }
        List<UploadResult> results = new ArrayList<>(files.size());
        int unsupported = 0;
        for (int i = 0; i < files.size(); i++) {
            MultipartFile file = files.get(i);
            String source = sanitise(file.getOriginalFilename());
            if (source == null) {
                results.add(UploadResult.failed("file #" + (i + 1), null, "the file has no usable name"));
            } else if (!ingestion.supports(source)) {
                unsupported++;
                results.add(UploadResult.failed(source, DocumentRef.idFor(target, source),
                        "unsupported file type: " + source));
            } else {
                results.add(ingest(target, source, file));
            }
        }
        if (unsupported == files.size()) {
            throw UploadRejectedException.unsupported(results);
        }
        if (results.stream().allMatch(UploadResult::failed)) {
            throw UploadRejectedException.allFailed(results);
        }
        return new UploadResponse(target, results);
    }

    private UploadResult ingest(String collection, String source, MultipartFile file) {
        try (InputStream content = file.getInputStream()) {
            FileOutcome outcome = ingestion.ingest(collection, source, content);
            log.info("Uploaded {} into '{}': {} ({} chunks)", source, collection, outcome.status(), outcome.chunks());
            return UploadResult.of(outcome);
        } catch (IOException e) {
            return UploadResult.failed(source, DocumentRef.idFor(collection, source),
                    "could not read the upload: " + e.getMessage());
        } catch (RuntimeException e) {
            // The ingester reports failures as outcomes; anything thrown is a bug, but it must not sink the batch.
            log.error("Ingesting upload {} into '{}' failed", source, collection, e);
            return UploadResult.failed(source, DocumentRef.idFor(collection, source),
                    "internal error while ingesting: " + e.getClass().getSimpleName());
        }
    }

    private String collectionName(String collection) {
        if (collection == null || collection.isBlank()) {
            return properties.defaultCollection();
        }
        String name = collection.strip();
        if (!COLLECTION.matcher(name).matches()) {
            throw new InvalidFieldException("collection", "collection must be 1-64 letters, digits, '.', '_' or '-'"
                    + " starting with a letter or digit, was '" + name + "'");
        }
        return name;
    }

    /**
     * The file's bare name: anything up to the last '/' or '\' is dropped (browsers on Windows send full paths),
     * control characters are removed. {@code null} when nothing usable remains.
     */
    static String sanitise(String originalFilename) {
        if (originalFilename == null) {
            return null;
        }
        String name = originalFilename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return null;
        }
        return name;
    }
}
