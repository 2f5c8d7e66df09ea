package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of kernel results against double references. */
final class AggregateChecks {
    private AggregateChecks() {
    }

    /** Same value exactly (as numbers: -0.0 == 0.0), or both NaN; infinities equal. */
    static void exact(String what, float[] out, int oo, double[] ref) {
        for (int j = 0; j < ref.length; j++) {
            float k = out[oo + j];
            double r = ref[j];
            if (Double.isNaN(r) ? !Float.isNaN(k) : k != r) {
                fail(what + ": coordinate " + j + ": kernel " + k + " != reference " + r);
            }
        }
    }

    /** Within bound[j] plus half an ulp of the reference's float rounding (and NaN / Inf equal exactly). */
    static void within(String what, float[] out, int oo, double[] ref, double[] bound, double extraUlps) {
        for (int j = 0; j < ref.length; j++) {
            float k = out[oo + j];
            double r = ref[j];
            if (Double.isNaN(r) || Double.isInfinite(r)) {
                if (Double.isNaN(r) ? !Float.isNaN(k) : k != r) {
                    fail(what + ": coordinate " + j + ": kernel " + k + " != reference " + r);
                }
                continue;
            }
            double tol = bound[j] + extraUlps * Math.ulp((float) r) + Float.MIN_VALUE;
            if (!(Math.abs(k - r) <= tol)) {
                fail(what + ": coordinate " + j + ": kernel " + k + ", reference " + r + ", error " + Math.abs(k - r)
                        + " > bound " + tol);
            }
        }
    }

    /** Bitwise equal, NaN equal to any NaN. */
    static void sameBits(String what, float[] a, float[] b) {
        for (int j = 0; j < a.length; j++) {
            if (Float.floatToIntBits(a[j]) != Float.floatToIntBits(b[j])) {
                fail(what + ": index " + j + ": " + a[j] + " vs " + b[j]);
            }
        }
    }

    /** The window outside [oo, oo + n) still holds the sentinel. */
    static void untouchedOutside(String what, float[] out, int oo, int n) {
        for (int j = 0; j < out.length; j++) {
            if ((j < oo || j >= oo + n) && out[j] != 12345.5f) {
                fail(what + ": out[" + j + "] outside the output window was written");
            }
        }
    }
}
