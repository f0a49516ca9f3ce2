package org.vipgate.gateway.config;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The gateway's name for {@link org.vipgate.certs.AtomicFiles}: one file replaced in one step. */
public final class AtomicFiles {

    /** Owner read/write only (0600). */
    public static final Set<PosixFilePermission> OWNER_RW = org.vipgate.certs.AtomicFiles.OWNER_RW;

    private AtomicFiles() {
    }

    /** See {@link org.vipgate.certs.AtomicFiles#write}. */
    public static void write(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        org.vipgate.certs.AtomicFiles.write(target, text, mode);
    }
}
