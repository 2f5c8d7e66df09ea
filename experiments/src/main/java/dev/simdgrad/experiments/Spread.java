package dev.simdgrad.experiments;

/**
 * Mean and spread of one measurement over seeds: what the tables print as "mean +- sd" and the charts draw as error
 * bars.
 *
 * @param mean the sample mean (NaN when any value is NaN, e.g. a diverged seed)
 * @param sd   the sample standard deviation (n - 1 in the denominator; 0 for a single value)
 * @param n    the number of values
 */
public record Spread(double mean, double sd, int n) {

    /**
     * The mean and standard deviation of {@code values}.
     *
     * @throws IllegalArgumentException if there are none
     */
    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values: none");
        }
        double m = 0;
        for (double v : values) {
            m += v;
        }
        m /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return new Spread(m, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0, values.length);
    }

    /** The standard error of the mean, sd / sqrt(n). */
    public double standardError() {
        return sd / Math.sqrt(n);
    }
}
