package dev.simdgrad.cli;

import picocli.CommandLine.Command;

/** {@code simdgrad bench}: groups the benchmark suites; it does nothing by itself (usage error without one). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a JMH benchmark suite and print a table against the peers and the machine's peak.",
        subcommands = {BenchGemmCommand.class, BenchAggregateCommand.class, BenchTrainStepCommand.class,
            BenchReportCommand.class})
final class BenchCommand {
}
