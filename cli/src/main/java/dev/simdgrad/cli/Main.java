package dev.simdgrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code simdgrad} command line: {@code info}, {@code train}, {@code evaluate}, {@code reproduce},
 * {@code verify}, {@code bench}. Exit codes: 0 success, 1 failure while running (or a failed check of
 * {@code verify}), 2 bad usage or bad input, refused before any work (a one-line error, then the usage, on stderr),
 * 3 {@code train} stopped because training diverged.
 */
@Command(name = "simdgrad", mixinStandardHelpOptions = true,
        description = "SIMD kernels on the JDK Vector API for per-example gradient research.",
        versionProvider = Main.ManifestVersion.class,
        subcommands = {InfoCommand.class, TrainCommand.class, EvaluateCommand.class, ReproduceCommand.class, VerifyCommand.class, VerifyWorkerCommand.class, BenchCommand.class, TuneCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Entry point of {@code simdgrad.jar}; exits with the command's exit code. */
    public static void main(String[] args) {
        TuneCommand.useTuningFile(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line, for {@link #main} and for tests (which redirect its out/err writers). A command
     * without its required subcommand is a usage error (exit 2), as picocli reports it.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // picocli prints "did you mean" suggestions instead of the usage for a mistyped option; we want both: the
        // one-line error first, then the suggestions if any, then the usage.
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            java.io.PrintWriter err = c.getErr();
            err.println(ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            c.usage(err, c.getColorScheme());
            err.flush();
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    /** {@code --version}: the Implementation-Version the build writes into simdgrad.jar's manifest. */
    static final class ManifestVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"simdgrad " + (v == null ? "(development build, no jar manifest)" : v),
                "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
