package dev.simdgrad.experiments;

/**
 * Where a long computation reports its progress, in training steps (or the experiment's own unit of work): the
 * command line draws a progress bar from it; a library caller may ignore it with {@link #NONE}.
 */
public interface ProgressSink {
    /** A sink that ignores everything. */
    ProgressSink NONE = new ProgressSink() {
        @Override
        public void step(long units) {
        }

        @Override
        public void note(String message) {
        }
    };

    /** Advances by {@code units}. */
    void step(long units);

    /** A short note on what runs now (e.g. "p=0.50 winsorize:4, seed 2"). */
    void note(String message);
}
