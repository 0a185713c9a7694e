package dev.eventpipeline.embedded;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessStatsTest {
    @Test
    void readsThisProcessAndGivesMinusOneForAGoneOne() {
        long self = ProcessHandle.current().pid();
        assertThat(ProcessStats.rssKib(self)).isGreaterThan(10_000);
        assertThat(ProcessStats.cpuSeconds(self)).isGreaterThan(0);
        assertThat(ProcessStats.rssKib(Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(ProcessStats.cpuSeconds(Long.MAX_VALUE)).isEqualTo(-1);
    }
}
