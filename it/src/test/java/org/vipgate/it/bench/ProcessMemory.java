package org.vipgate.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, from the kernel's {@code /proc/<pid>/status} (Linux only). */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** {@code VmRSS}: resident now, in KiB. */
    static long residentKib(long pid) {
        return field(pid, "VmRSS:");
    }

    /** {@code VmHWM}: the highest resident size so far, in KiB. */
    static long peakResidentKib(long pid) {
        return field(pid, "VmHWM:");
    }

    private static long field(long pid, String name) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + status + " (is process " + pid + " still running?)", e);
        }
        throw new IllegalStateException(status + " has no " + name + " line");
    }
}
