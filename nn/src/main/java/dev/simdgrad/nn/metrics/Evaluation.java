package dev.simdgrad.nn.metrics;

/**
 * Loss and accuracy of a network on a set of examples.
 *
 * @param loss     mean loss over the examples (0 when there are none)
 * @param accuracy fraction classified correctly (NaN when there are none)
 * @param count    number of examples evaluated
 */
public record Evaluation(double loss, double accuracy, int count) {
}
