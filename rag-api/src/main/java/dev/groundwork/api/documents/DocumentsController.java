package dev.groundwork.api.documents;

import dev.groundwork.api.NotFoundException;
import dev.groundwork.ingest.index.DocumentIndex;
import dev.groundwork.ingest.index.IndexedDocument;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/documents}: list, upload and delete documents.
 * <ul>
 * <li>{@code GET ?collection=NAME}: the collection's documents by source path (404 if it holds none); without
 *     {@code collection}, every document, by collection then source.</li>
 * <li>{@code POST} multipart, parts {@code files} (one or more) and optional {@code collection}: ingests them
 *     synchronously; see {@link DocumentUploads} for the status codes.</li>
 * <li>{@code DELETE /{id}}: removes the document and its chunks; 204, or 404 if unknown.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/documents")
public class DocumentsController {

    private final DocumentIndex index;
    private final DocumentUploads uploads;

    public DocumentsController(DocumentIndex index, DocumentUploads uploads) {
        this.index = index;
        this.uploads = uploads;
    }

    @GetMapping
    public List<IndexedDocument> list(@RequestParam(name = "collection", required = false) String collection) {
        if (collection != null && !collection.isBlank()) {
            String name = collection.strip();
            if (!index.collections().contains(name)) {
                throw NotFoundException.collection(name);
            }
            return index.documents(name);
        }
        List<IndexedDocument> all = new ArrayList<>();
        for (String name : index.collections()) {
            all.addAll(index.documents(name));
        }
        return all;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public UploadResponse upload(@RequestPart("files") List<MultipartFile> files,
            @RequestParam(name = "collection", required = false) String collection) {
        return uploads.upload(collection, files);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        if (!index.delete(id)) {
            throw NotFoundException.document(id);
        }
        return ResponseEntity.noContent().build();
    }
}
