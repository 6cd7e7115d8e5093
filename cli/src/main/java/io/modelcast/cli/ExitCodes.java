package io.modelcast.cli;

/** The exit codes of the modelcast command lines, listed in each command's help. */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The command ran but failed: a missing or unwritable directory, an unreadable file, … */
    public static final int FAILURE = 1;
    /** The command line itself was wrong: an unknown option, a bad duration, a missing argument. */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
