package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
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

    /**
     * The SGEMM micro-kernel for a width in {128, 256, 512}: 6 rows x 2 vectors at 128 and 256 bits (16 vector
     * registers hold 12 accumulators, 2 vectors of B and a broadcast), 12 rows x 2 vectors at 512 (AVX-512 has 32).
     * One JVM uses one width: the kernel classes fix their species when first loaded, so asking for a second width
     * fails rather than computing at the first.
     */
    public static GemmKernel gemmKernel(int bits) {
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("no vector kernels for " + bits + " bits");
        }
        GemmKernel k = ScopedValue.where(GEMM_BITS, bits).call(
                () -> bits == 512 ? new VectorGemmKernel12x2v() : new VectorGemmKernel6x2v());
        if (k.vectorBits() != bits) {
            throw new IllegalStateException("the SGEMM micro-kernels were loaded at " + k.vectorBits()
                    + " bits; one JVM uses one width, not also " + bits);
        }
        return k;
    }

    /**
     * The width a micro-kernel class takes its species from when it is loaded. The provider creates the micro-kernel
     * while it is itself being initialized (its choice holds the kernel), so the class cannot ask
     * {@code KernelProvider.choice()} as the other kernels do (it would read null); {@link #gemmKernel} binds the
     * width for the class initializer instead. Loaded any other way, the class takes the provider's width.
     */
    static int gemmBits() {
        return GEMM_BITS.isBound() ? GEMM_BITS.get() : KernelProvider.choice().bits();
    }

    private static final ScopedValue<Integer> GEMM_BITS = ScopedValue.newInstance();

    /** The coordinate-wise aggregation kernels, at the width the provider chose (one class for 128, 256 and 512). */
    public static AggregateKernel aggregateKernel(int bits) {
        if (bits != KernelProvider.choice().bits()) {
            throw new IllegalArgumentException("the vector kernels run at the provider's width, "
                    + KernelProvider.choice().bits() + " bits, not " + bits);
        }
        return new VectorAggregateKernel();
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
