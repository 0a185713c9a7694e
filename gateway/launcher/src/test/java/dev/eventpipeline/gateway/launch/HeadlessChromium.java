package dev.eventpipeline.gateway.launch;

import dev.eventpipeline.embedded.DebianPackages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Chromium, headless, for page tests: a screenshot and the DOM after scripts ran. */
final class HeadlessChromium {
    private final Path binary;
    private final Path profile;

    HeadlessChromium(Path scratch) throws IOException {
        this.binary = DebianPackages.ensureInstalled("chromium", "chromium");
        this.profile = Files.createDirectories(scratch.resolve("chromium-profile"));
    }

    void screenshot(String url, Path png) throws IOException, InterruptedException {
        run(url, "--screenshot=" + png.toAbsolutePath());
        if (!Files.exists(png)) {
            throw new IOException("chromium wrote no screenshot for " + url);
        }
    }

    String dumpDom(String url) throws IOException, InterruptedException {
        return run(url, "--dump-dom");
    }

    private String run(String url, String action) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,1000",
                // lets the page's fetch-and-render cycle run a few times before the capture
                "--virtual-time-budget=7000", action, url));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish within 90 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
