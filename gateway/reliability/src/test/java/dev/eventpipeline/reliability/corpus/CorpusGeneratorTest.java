package dev.eventpipeline.reliability.corpus;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CorpusGeneratorTest {
    private final CorpusGenerator generator = new CorpusGenerator();

    @Test
    void sameSeedAndIndexGiveTheSameRequest() {
        for (int i = 0; i < 200; i++) {
            BadRequest a = generator.get(7, i);
            BadRequest b = generator.get(7, i);
            assertThat(a.category()).isEqualTo(b.category());
            assertThat(Arrays.equals(a.body(), b.body())).as("request " + i).isTrue();
        }
        assertThat(Arrays.equals(generator.get(7, 0).body(), generator.get(8, 0).body())).isFalse();
    }

    @Test
    void everyCategoryOfTheIssueIsCoveredByOneCycle() {
        Set<String> categories = new HashSet<>();
        for (int i = 0; i < generator.kinds(); i++) {
            categories.add(generator.get(1, i).category());
        }
        assertThat(categories).contains("broken JSON", "deep nesting", "huge string", "huge array", "wrong types",
                "invalid UTF-8", "duplicate keys", "oversized body", "WS oversized frame", "missing API key", "forged API key",
                "WS forged API key");
    }

    @Test
    void requestsBreakTheLimitsTheyClaimTo() {
        for (int i = 0; i < generator.kinds() * 3; i++) {
            BadRequest r = generator.get(3, i);
            switch (r.category()) {
                case "huge string", "huge array" -> assertThat(r.body().length).isGreaterThan(CorpusGenerator.MAX_EVENT_BYTES);
                case "oversized body", "WS oversized frame" -> assertThat(r.body().length).isGreaterThan(CorpusGenerator.MAX_REQUEST_BYTES);
                case "invalid UTF-8" -> assertThat(validUtf8(r.body())).as("request " + i).isFalse();
                default -> {
                }
            }
        }
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
