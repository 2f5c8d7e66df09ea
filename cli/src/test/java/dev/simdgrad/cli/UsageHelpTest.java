package dev.simdgrad.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's usage help renders without a warning: picocli formats descriptions with String.format, so a bare
 * '%' (as in "% of the peak") prints "[picocli WARN] Could not format ..." on stderr and shows "%n" unexpanded.
 * Picocli writes its warnings to System.err, so the test captures that too.
 */
class UsageHelpTest {

    /** A command's path below {@code simdgrad} and whether it has a {@code --help} option. */
    private record Command(List<String> path, boolean helpOption) {
    }

    private static void collect(CommandLine cl, List<String> path, List<Command> out) {
        out.add(new Command(path, cl.getCommandSpec().mixinStandardHelpOptions()));
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName())) {
                continue; // an alias: the same command again
            }
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            collect(e.getValue(), sub, out);
        }
    }

    private static CommandLine find(CommandLine root, List<String> path) {
        CommandLine cl = root;
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        return cl;
    }

    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        List<Command> commands = new ArrayList<>();
        collect(Main.commandLine(), List.of(), commands);
        List<List<String>> paths = commands.stream().map(Command::path).toList();
        assertTrue(commands.size() >= 10, "found " + paths);
        assertTrue(paths.contains(List.of("bench", "aggregate")) && paths.contains(List.of("bench", "train-step")),
                paths.toString());
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (Command c : commands) {
                String name = String.join(" ", c.path());
                String usage = find(Main.commandLine(), c.path()).getUsageMessage();
                assertTrue(usage.contains("Usage: simdgrad") && !usage.contains("%n"), name + ": " + usage);
                if (c.helpOption()) {
                    List<String> args = new ArrayList<>(c.path());
                    args.add("--help");
                    CliRun r = CliRun.of(args.toArray(String[]::new));
                    assertEquals(0, r.exitCode(), name + ": " + r.err());
                    assertEquals(usage, r.out(), name + ": --help prints the usage");
                    assertEquals("", r.err(), name);
                }
                assertEquals("", captured.toString(StandardCharsets.UTF_8), "simdgrad " + name
                        + ": rendering the usage help warned on stderr");
            }
        } finally {
            System.setErr(saved);
        }
    }
}
