package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.agg.AggregateKernel;
import dev.simdgrad.kernels.internal.gemm.GemmKernel;
import dev.simdgrad.kernels.internal.gram.GramKernel;
import jdk.incubator.vector.FloatVector;

/**
 * The only door from the provider into Vector API code: loaded only after the provider has checked that the
 * {@code jdk.incubator.vector} module is readable, so a JVM without it never resolves a Vector API class.
 */
public final class VectorSupportProbe {
    private VectorSupportProbe() {
    }

    /** The preferred float vector width of this CPU, in bits. */
    public static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    /** The SGEMM micro-kernel for a width in {128, 256, 512}. */
    public static GemmKernel gemmKernel(int bits) {
        return switch (bits) {
            case 128 -> new VectorGemmKernel128();
            case 256 -> new VectorGemmKernel256();
            case 512 -> new VectorGemmKernel512();
            default -> throw new IllegalArgumentException("no vector kernels for " + bits + " bits");
        };
    }

    /** The coordinate-wise aggregation kernels for a width in {128, 256, 512}. */
    public static AggregateKernel aggregateKernel(int bits) {
        return switch (bits) {
            case 128 -> new VectorAggregateKernel128();
            case 256 -> new VectorAggregateKernel256();
            case 512 -> new VectorAggregateKernel512();
            default -> throw new IllegalArgumentException("no vector kernels for " + bits + " bits");
        };
    }

    /** The explicit mean's row adder, at the width the provider chose. */
    public static dev.simdgrad.kernels.internal.agg.RowSum rowSum() {
        return new VectorRowSum();
    }

    /** The double dot-product kernel of the Gram matrices, at the width the provider chose. */
    public static GramKernel gramKernel() {
        return new VectorGramKernel();
    }

    /** The float squared-distance kernel of the explicit robust aggregators, at the width the provider chose. */
    public static dev.simdgrad.kernels.internal.gram.DistanceKernel distanceKernel() {
        return new VectorDistanceKernel();
    }
}
