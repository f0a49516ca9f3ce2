package org.vipgate.it.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's regression gate: which changes of a ratio are flagged (no timing here, only arithmetic). */
class BaselineGateTest {

    @TempDir
    Path dir;

    @Test
    void aRatioThatFellByMoreThanAFifthIsFlaggedAndOneThatFellLessIsNot() {
        Map<String, Double> baseline = new LinkedHashMap<>();
        baseline.put("fell_a_quarter", 1.0);
        baseline.put("fell_a_tenth", 1.0);
        baseline.put("rose", 0.5);
        baseline.put("gone", 0.9);
        Map<String, Double> now = new LinkedHashMap<>();
        now.put("fell_a_quarter", 0.75);
        now.put("fell_a_tenth", 0.9);
        now.put("rose", 1.0);
        now.put("new", 2.0);

        List<BaselineGate.Change> changes = BaselineGate.compare(baseline, now);

        assertThat(changes).extracting(BaselineGate.Change::key)
                .containsExactly("fell_a_quarter", "fell_a_tenth", "rose", "gone", "new");
        assertThat(changes).filteredOn(BaselineGate.Change::flagged).extracting(BaselineGate.Change::key)
                .containsExactly("fell_a_quarter");
        assertThat(changes.get(0).change()).isCloseTo(-0.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(changes.get(2).change()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(changes.get(3).change()).isNull();
        String table = BaselineGate.table(changes);
        assertThat(table).contains("| fell_a_quarter | 1.00 | 0.75 | -25 % | FELL BY MORE THAN A FIFTH |")
                .contains("| fell_a_tenth | 1.00 | 0.90 | -10 % |  |")
                .contains("| gone | 0.90 | - | - | gone |")
                .contains("| new | - | 2.00 | - | new |");
    }

    @Test
    void exactlyAFifthLowerIsNotFlagged() {
        assertThat(BaselineGate.compare(Map.of("r", 1.0), Map.of("r", 0.8)).get(0).flagged()).isFalse();
        assertThat(BaselineGate.compare(Map.of("r", 1.0), Map.of("r", 0.79)).get(0).flagged()).isTrue();
    }

    @Test
    void readsTheRatiosOfABenchFileAndRejectsOneWithout() throws IOException {
        Path good = dir.resolve("good.json");
        Files.writeString(good, "{\"results\": [], \"ratios\": {\"a\": 0.5, \"b\": 2}}");
        assertThat(BaselineGate.ratios(good)).containsExactly(Map.entry("a", 0.5), Map.entry("b", 2.0));

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"results\": []}");
        assertThatThrownBy(() -> BaselineGate.ratios(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("no \"ratios\"");
        Files.writeString(bad, "{\"ratios\": {\"a\": \"fast\"}}");
        assertThatThrownBy(() -> BaselineGate.ratios(bad)).hasMessageContaining("\"a\" is not a number");
    }
}
