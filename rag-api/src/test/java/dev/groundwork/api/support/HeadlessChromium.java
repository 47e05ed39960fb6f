package dev.groundwork.api.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium and its chromedriver ({@code apt-get install chromium chromium-driver}, done by
 * {@code scripts/chromium.sh install}). Both paths are given to Selenium explicitly, so Selenium Manager never runs
 * and nothing is downloaded. Missing binaries skip the calling tests locally and fail them when {@code CI=true}.
 */
public final class HeadlessChromium {

    /** Debian's paths, overridable with the environment variables that {@code scripts/chromium.sh} reads too. */
    private static final Path BROWSER = Path.of(env("CHROMIUM_BIN", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(env("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Skips (locally) or fails (CI) the calling tests unless both binaries are installed. */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        String message = "browser tests need " + BROWSER + " and " + DRIVER
                + " (scripts/chromium.sh install, or apt-get install chromium chromium-driver)";
        if (!installed && "true".equals(System.getenv("CI"))) {
            Assertions.fail(message + "; CI=true requires them");
        }
        Assumptions.assumeTrue(installed, message);
    }

    /** A new headless browser with a window of the given size in CSS pixels. */
    public static ChromeDriver start(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--lang=en-US",
                "--no-first-run", "--disable-extensions", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
