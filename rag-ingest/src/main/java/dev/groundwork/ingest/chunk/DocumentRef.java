package dev.groundwork.ingest.chunk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Identity and access data of one document, given to the chunker so that every chunk carries it.
 *
 * @param documentId derived from collection and source by {@link #idFor}
 * @param collection collection name
 * @param source source path within the collection, '/'-separated
 * @param acl principals allowed to read the document; empty means everyone
 */
public record DocumentRef(String documentId, String collection, String source, List<String> acl) {

    public DocumentRef {
        acl = List.copyOf(acl);
    }

    /** A reference whose id is derived from collection and source. */
    public static DocumentRef of(String collection, String source) {
        return new DocumentRef(idFor(collection, source), collection, source, List.of());
    }

    /**
     * A document is identified by its source path within a collection: the id is the first 16 hex digits of
     * SHA-256 over {@code collection + '\0' + source}, stable across runs and machines.
     */
    public static String idFor(String collection, String source) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((collection + '\0' + source).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
