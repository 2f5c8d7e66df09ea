package dev.simdgrad.verify.check;

/**
 * One kernel family checked against its scalar reference: runs cases (random and edge) at the vector width of this
 * JVM and reports the worst error in units of the kernel's error bound. {@link KernelChecks#all()} lists every
 * check; {@code ./simdgrad verify} runs them at each width in a child JVM.
 *
 * <p>Contract for implementations: deterministic for a given {@code (cases, seed)}; every case is counted in the
 * result (none skipped silently); the kernel is called often enough before or during the cases that C2 compiles
 * it, since a check that only runs the interpreter never tests the intrinsified path; nothing is printed.
 */
public interface KernelCheck {
    /** Short, stable name of the kernel family, e.g. {@code "sgemm"}; reports and JSON key on it. */
    String name();

    /**
     * Runs {@code cases} random cases drawn from {@code seed}, plus the check's fixed edge cases.
     *
     * @param cases random cases to run, {@code >= 0}
     * @param seed  seed of the random cases; the same seed draws the same cases at every width
     * @return how many cases ran and the worst error/bound ratio among them
     */
    CheckResult run(int cases, long seed);
}
