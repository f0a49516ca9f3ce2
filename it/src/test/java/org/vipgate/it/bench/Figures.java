package org.vipgate.it.bench;

import java.util.Arrays;

/** Throughput and latency of one benchmark. Latencies in microseconds. */
record Figures(String name, long messages, double seconds, double p50Micros, double p99Micros) {

    double rate() {
        return messages / seconds;
    }

    static Figures of(String name, long messages, long nanos, long[] latenciesNanos, int count) {
        long[] l = Arrays.copyOf(latenciesNanos, count);
        Arrays.sort(l);
        double p50 = count == 0 ? 0 : l[(int) (count * 0.50)] / 1000.0;
        double p99 = count == 0 ? 0 : l[Math.min(count - 1, (int) (count * 0.99))] / 1000.0;
        return new Figures(name, messages, nanos / 1e9, p50, p99);
    }
}
