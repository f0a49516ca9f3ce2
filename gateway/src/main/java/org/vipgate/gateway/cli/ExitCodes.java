package org.vipgate.gateway.cli;

/** vipgate's exit codes, after BSD's sysexits.h so that service managers and scripts can tell causes apart. */
public final class ExitCodes {

    /** Stopped normally. */
    public static final int OK = 0;
    /** Something failed (e.g. a link could not be applied). */
    public static final int FAILURE = 1;
    /** EX_UNAVAILABLE: the broker's management API cannot be reached. */
    public static final int UNAVAILABLE = 69;
    /** EX_TEMPFAIL: not done yet, try again later (e.g. a certificate request awaits approval). */
    public static final int TEMPFAIL = 75;
    /** A command-line usage error (picocli's own code). */
    public static final int USAGE = 2;
    /** EX_PROTOCOL: the broker has objects that conflict with VOLTTRON's topology. */
    public static final int BROKER_CONFLICT = 76;
    /** EX_NOPERM: the broker refused the credentials or access. */
    public static final int BROKER_REFUSED = 77;
    /** EX_CONFIG: a file of the VOLTTRON_HOME is missing or wrong. */
    public static final int CONFIG = 78;
    /** EX_IOERR: the VOLTTRON_HOME could not be prepared or the broker failed mid-way. */
    public static final int IO = 74;

    private ExitCodes() {
    }
}
