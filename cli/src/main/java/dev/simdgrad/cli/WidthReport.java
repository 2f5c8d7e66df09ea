package dev.simdgrad.cli;

import dev.simdgrad.verify.check.CheckResult;
import java.util.List;

/**
 * What {@code verify} learned at one requested vector width: the width the kernels actually used (the provider
 * lowers a width the CPU does not have), and each check's result; or why the width could not be checked.
 *
 * @param requestedBits the {@code simdgrad.vector.bits} the worker JVM was started with
 * @param vectorBits    {@code Simd.vectorBits()} in the worker: the width actually used (0 = scalar), -1 if unknown
 * @param simd          {@code Simd.describe()} in the worker, empty if unknown
 * @param results       one per kernel check, in registry order
 * @param error         null when the worker ran to the end; otherwise what went wrong (the width then fails)
 */
record WidthReport(int requestedBits, int vectorBits, String simd, List<CheckResult> results, String error) {
    WidthReport {
        results = List.copyOf(results);
    }

    /** A width whose worker did not deliver its results. */
    static WidthReport failed(int requestedBits, String error) {
        return new WidthReport(requestedBits, -1, "", List.of(), error);
    }

    /** True when the worker finished and every check passed. */
    boolean passed() {
        return error == null && !results.isEmpty() && results.stream().allMatch(CheckResult::passed);
    }

    /** Cases run over all checks. */
    int cases() {
        return results.stream().mapToInt(CheckResult::cases).sum();
    }
}
