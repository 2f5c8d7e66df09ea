package dev.simdgrad.cli;

import picocli.CommandLine.Command;

/** {@code simdgrad bench}: groups the benchmark suites; it does nothing by itself (usage error without one). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a JMH benchmark suite and print a table against the peers and the machine's peak.",
            "spark-mllib: simdgrad against MLlib on Spark in local mode (run it through the ./simdgrad launcher)."},
        subcommands = {BenchGemmCommand.class, BenchAggregateCommand.class, BenchTrainStepCommand.class,
            BenchReportCommand.class, BenchSparkMllibCommand.class})
final class BenchCommand {
}
