package dev.groundwork.model.pull;

/** Progress of a {@link HubDownloader#pull}; called on the downloading thread. */
public interface PullListener {

    PullListener NONE = new PullListener() {
    };

    /** The repository lists {@code files} files. */
    default void listed(String repo, int files) {
    }

    /** A file is already complete locally and is skipped. */
    default void skipped(String file, long size) {
    }

    /**
     * Bytes of {@code file} present so far.
     *
     * @param total the file's size, or -1 when the server does not say
     */
    default void progress(String file, long done, long total) {
    }

    /** {@code file} is complete in the target folder. */
    default void completed(String file, long size) {
    }
}
