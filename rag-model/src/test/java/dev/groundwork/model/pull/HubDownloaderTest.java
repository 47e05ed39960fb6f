package dev.groundwork.model.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.model.testdoubles.FakeHub;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a fake hub on 127.0.0.1: never the real one. */
class HubDownloaderTest {

    @TempDir
    Path dir;

    private final byte[] weights = new byte[300_000];
    private final byte[] config = "{\"architectures\":[\"LlamaForCausalLM\"]}".getBytes(StandardCharsets.UTF_8);
    private final byte[] tokenizer = "{\"model\":{}}".getBytes(StandardCharsets.UTF_8);
    private FakeHub hub;

    @BeforeEach
    void start() throws IOException {
        new Random(1).nextBytes(weights);
        hub = new FakeHub(Map.of("config.json", config, "model.safetensors", weights, "sub/tokenizer.json", tokenizer));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void downloadsEveryListedFileFollowingTheCdnRedirect() throws IOException {
        List<String> completed = new ArrayList<>();
        PullReport report = new HubDownloader(hub.endpoint(), null).pull("acme/tiny", "main", dir, new PullListener() {
            @Override
            public void completed(String file, long size) {
                completed.add(file + ":" + size);
            }
        });

        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(Files.readAllBytes(dir.resolve("config.json"))).isEqualTo(config);
        assertThat(Files.readAllBytes(dir.resolve("sub/tokenizer.json"))).isEqualTo(tokenizer);
        assertThat(report.downloaded()).containsExactly("config.json", "model.safetensors", "sub/tokenizer.json");
        assertThat(report.bytesTransferred()).isEqualTo(weights.length + config.length + tokenizer.length);
        assertThat(completed).containsExactly("config.json:" + config.length, "model.safetensors:" + weights.length,
                "sub/tokenizer.json:" + tokenizer.length);
        assertThat(hub.count("GET", "/cdn/model.safetensors")).isEqualTo(1);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
        }
    }

    @Test
    void resumesAPartialFileWithARangeRequest() throws IOException {
        int have = 123_456;
        Files.write(dir.resolve("model.safetensors.part"), Arrays.copyOf(weights, have));

        PullReport report = new HubDownloader(hub.endpoint(), null).pull("acme/tiny", "main", dir, PullListener.NONE);

        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(Files.exists(dir.resolve("model.safetensors.part"))).isFalse();
        assertThat(hub.requests).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/cdn/model.safetensors");
            assertThat(r.range()).isEqualTo("bytes=" + have + "-");
        });
        assertThat(report.bytesTransferred()).isEqualTo(weights.length - have + config.length + tokenizer.length);
    }

    @Test
    void aCompletePartIsRenamedWithoutDownloadingAgain() throws IOException {
        Files.write(dir.resolve("model.safetensors.part"), weights);

        PullReport report = new HubDownloader(hub.endpoint(), null).pull("acme/tiny", "main", dir, PullListener.NONE);

        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(weights);
        assertThat(report.bytesTransferred()).isEqualTo(config.length + tokenizer.length);
    }

    @Test
    void skipsFilesAlreadyCompleteAndRefetchesOnesOfTheWrongSize() throws IOException {
        HubDownloader downloader = new HubDownloader(hub.endpoint(), null);
        downloader.pull("acme/tiny", "main", dir, PullListener.NONE);
        Files.writeString(dir.resolve("config.json"), "truncated");
        long weightGets = hub.count("GET", "/cdn/");

        PullReport second = downloader.pull("acme/tiny", "main", dir, PullListener.NONE);

        assertThat(second.skipped()).containsExactly("model.safetensors", "sub/tokenizer.json");
        assertThat(second.downloaded()).containsExactly("config.json");
        assertThat(Files.readAllBytes(dir.resolve("config.json"))).isEqualTo(config);
        assertThat(hub.count("GET", "/cdn/")).isEqualTo(weightGets);
    }

    @Test
    void sizesFromTheListingAvoidHeadRequests() throws IOException {
        hub.listing = "{\"siblings\":[{\"rfilename\":\"config.json\",\"size\":" + config.length + "}]}";
        Files.write(dir.resolve("config.json"), config);

        PullReport report = new HubDownloader(hub.endpoint(), null).pull("acme/tiny", "main", dir, PullListener.NONE);

        assertThat(report.skipped()).containsExactly("config.json");
        assertThat(hub.count("HEAD", "/")).isZero();
    }

    @Test
    void sendsTheTokenToTheHubButNotToAnotherHost() throws IOException {
        new HubDownloader(hub.endpoint(), "hf_secret").pull("acme/tiny", "main", dir, PullListener.NONE);

        assertThat(hub.requests).filteredOn(r -> r.host().startsWith("127.0.0.1"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer hf_secret"));
        assertThat(hub.requests).filteredOn(r -> r.host().startsWith("localhost"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void anUnreachableHubSaysTheMachineIsOffline() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HubDownloader downloader = new HubDownloader(URI.create("http://127.0.0.1:" + closedPort), null);

        assertThatThrownBy(() -> downloader.pull("acme/tiny", "main", dir, PullListener.NONE))
                .isInstanceOf(HubUnreachableException.class)
                .hasMessage("cannot reach 127.0.0.1:" + closedPort
                        + ": this machine is offline; copy the model folder here instead");
    }

    @Test
    void unknownRepositoriesAndEscapingFileNamesAreRefused() {
        HubDownloader downloader = new HubDownloader(hub.endpoint(), null);
        assertThatThrownBy(() -> downloader.pull("acme/missing", "main", dir, PullListener.NONE))
                .hasMessageContaining("not found on the hub: acme/missing at revision main");
        assertThatThrownBy(() -> downloader.pull("../etc", "main", dir, PullListener.NONE))
                .hasMessageContaining("not a repository id");
        hub.listing = "{\"siblings\":[{\"rfilename\":\"../outside.txt\"}]}";
        assertThatThrownBy(() -> downloader.pull("acme/tiny", "main", dir, PullListener.NONE))
                .hasMessageContaining("refusing a file name from the hub: ../outside.txt");
        assertThat(Files.exists(dir.getParent().resolve("outside.txt"))).isFalse();
    }
}
