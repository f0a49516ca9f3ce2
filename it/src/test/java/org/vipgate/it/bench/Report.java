package org.vipgate.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one {@code make bench} run measured: rows, resident memory per phase, the ratios the gate compares. */
final class Report {

    /**
     * One row of the table; {@code ratio} (null for none) compares it with the row named {@code against}, higher is
     * better.
     */
    record Row(Figures figures, String unit, String ratioKey, Double ratio, String against) {
    }

    /** Resident memory of the gateway process after a phase, in KiB; {@code peakKib} is the peak so far (VmHWM). */
    record Phase(String name, long rssKib, long peakKib) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Phase> phases = new ArrayList<>();
    private final Map<String, Double> ratios = new LinkedHashMap<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    Figures row(Figures f, String unit) {
        rows.add(new Row(f, unit, null, null, null));
        return f;
    }

    Figures row(Figures f, String unit, String ratioKey, double ratio, String against) {
        rows.add(new Row(f, unit, ratioKey, ratio, against));
        ratio(ratioKey, ratio);
        return f;
    }

    /** A ratio for the gate (higher is better), two decimals. */
    void ratio(String key, double value) {
        ratios.put(key, Math.round(value * 100) / 100.0);
    }

    void phase(String name, long rssKib, long peakKib) {
        phases.add(new Phase(name, rssKib, peakKib));
        System.out.printf("bench: gateway resident memory after %-34s %6.1f MB (peak %6.1f MB)%n", name, rssKib / 1024.0,
                peakKib / 1024.0);
    }

    /** A figure that is neither a row nor a ratio (ready time, memory per agent, JVM options). */
    void fact(String key, Object value) {
        facts.put(key, value);
    }

    List<Row> rows() {
        return rows;
    }

    Map<String, Double> ratios() {
        return ratios;
    }

    long peakKib() {
        return phases.stream().mapToLong(Phase::peakKib).max().orElse(0);
    }

    String table() {
        StringBuilder t = new StringBuilder("\n| path | count | s | per s | p50 (us) | p99 (us) | ratio | against |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Figures f = r.figures();
            t.append(String.format("| %s | %d | %.2f | %.0f %s | %.1f | %.1f | %s | %s |%n", f.name(), f.messages(),
                    f.seconds(), f.rate(), r.unit(), f.p50Micros(), f.p99Micros(),
                    r.ratio() == null ? "" : String.format("%.2f", r.ratio()), r.against() == null ? "" : r.against()));
        }
        t.append("\n| gateway phase | resident (MB) | peak so far (MB) |\n|---|---|---|\n");
        for (Phase p : phases) {
            t.append(String.format("| %s | %.1f | %.1f |%n", p.name(), p.rssKib() / 1024.0, p.peakKib() / 1024.0));
        }
        t.append("\n| fact | value |\n|---|---|\n");
        facts.forEach((k, v) -> t.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        t.append("\n| ratio (higher is better) | value |\n|---|---|\n");
        ratios.forEach((k, v) -> t.append(String.format("| %s | %.2f |%n", k, v)));
        return t.toString();
    }

    void write(Path out) throws IOException {
        List<Map<String, Object>> json = new ArrayList<>();
        for (Row r : rows) {
            Figures f = r.figures();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.name());
            m.put("count", f.messages());
            m.put("seconds", Math.round(f.seconds() * 1000) / 1000.0);
            m.put("per_s", Math.round(f.rate()));
            m.put("unit", r.unit());
            m.put("p50_us", f.p50Micros());
            m.put("p99_us", f.p99Micros());
            if (r.ratio() != null) {
                m.put("ratio", Math.round(r.ratio() * 100) / 100.0);
                m.put("ratio_key", r.ratioKey());
                m.put("against", r.against());
            }
            json.add(m);
        }
        List<Map<String, Object>> memory = new ArrayList<>();
        for (Phase p : phases) {
            memory.add(Map.of("phase", p.name(), "rss_kib", p.rssKib(), "peak_kib", p.peakKib()));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        root.put("facts", facts);
        root.put("results", json);
        root.put("gateway_memory", memory);
        root.put("ratios", ratios);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), root);
    }
}
