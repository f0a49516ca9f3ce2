package org.vipgate.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regression gate of {@code make bench}: each ratio of this run against the same ratio in the baseline stored in
 * the repository ({@code it/bench-baseline.json}). Every ratio is "higher is better", so a ratio that fell to less
 * than {@link #FLOOR} of its baseline is flagged. Only ratios are compared: absolute figures depend on the machine.
 */
final class BaselineGate {

    /** A ratio below this fraction of its baseline (it fell by more than a fifth) is flagged. */
    static final double FLOOR = 0.8;

    /** One ratio compared; {@code baseline} or {@code now} is null when only one side has it. */
    record Change(String key, Double baseline, Double now) {

        /** Relative change, e.g. -0.25 for a quarter lower; null when a side is missing. */
        Double change() {
            return baseline == null || now == null || baseline == 0 ? null : now / baseline - 1;
        }

        boolean flagged() {
            return baseline != null && now != null && now < baseline * FLOOR;
        }
    }

    private BaselineGate() {
    }

    /** Every key of either side, baseline order first. */
    static List<Change> compare(Map<String, Double> baseline, Map<String, Double> now) {
        Map<String, Change> out = new LinkedHashMap<>();
        baseline.forEach((k, v) -> out.put(k, new Change(k, v, now.get(k))));
        now.forEach((k, v) -> out.putIfAbsent(k, new Change(k, null, v)));
        return new ArrayList<>(out.values());
    }

    /** The {@code ratios} object of a bench.json file. */
    static Map<String, Double> ratios(Path benchJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(benchJson));
        JsonNode ratios = root.path("ratios");
        if (!ratios.isObject()) {
            throw new IOException(benchJson + " has no \"ratios\" object");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = ratios.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new IOException(benchJson + ": ratio \"" + e.getKey() + "\" is not a number: " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().doubleValue());
        }
        return out;
    }

    /** The comparison as a Markdown table, flagged lines marked. */
    static String table(List<Change> changes) {
        StringBuilder t = new StringBuilder("| ratio | baseline | this run | change | |\n|---|---|---|---|---|\n");
        for (Change c : changes) {
            t.append(String.format("| %s | %s | %s | %s | %s |%n", c.key(), number(c.baseline()), number(c.now()),
                    c.change() == null ? "-" : String.format("%+.0f %%", c.change() * 100),
                    c.flagged() ? "FELL BY MORE THAN A FIFTH" : c.baseline() == null ? "new" : c.now() == null
                            ? "gone" : ""));
        }
        return t.toString();
    }

    private static String number(Double d) {
        return d == null ? "-" : String.format("%.2f", d);
    }
}
