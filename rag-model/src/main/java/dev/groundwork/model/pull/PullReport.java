package dev.groundwork.model.pull;

import java.util.List;

/**
 * What a pull did.
 *
 * @param downloaded files fetched (fully or by resuming a partial download)
 * @param skipped files already complete locally
 * @param bytesTransferred bytes received over the network
 */
public record PullReport(List<String> downloaded, List<String> skipped, long bytesTransferred) {

    public PullReport {
        downloaded = List.copyOf(downloaded);
        skipped = List.copyOf(skipped);
        if (bytesTransferred < 0) {
            throw new IllegalArgumentException("bytesTransferred must be >= 0");
        }
    }
}
