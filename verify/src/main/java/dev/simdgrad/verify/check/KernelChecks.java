package dev.simdgrad.verify.check;

import java.util.List;

/**
 * The registry of {@link KernelCheck}s that {@code ./simdgrad verify} runs. A new kernel family registers by adding
 * its check here, in the order the report should list it; nothing else changes (the CLI, its JSON and its tests
 * iterate over this list).
 */
public final class KernelChecks {
    private KernelChecks() {
    }

    /** Every check, a fresh instance each (checks may hold scratch state). */
    public static List<KernelCheck> all() {
        return List.of(new SgemmCheck(), new SgemmThreadsCheck(), new AggregateCheck(), new PerExampleCheck(),
                new CoherenceCheck(), new NetworkCheck(), new DeepNetworkCheck(), new RobustCheck());
    }
}
