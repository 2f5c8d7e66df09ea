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
     * The SGEMM micro-kernel at the width the provider chose: 6 rows x 2 vectors at 128 and 256 bits (16 vector
     * registers hold 12 accumulators, 2 vectors of B and a broadcast), 12 rows x 2 vectors at 512 (AVX-512 has 32).
     * Call only after the provider has initialized (the kernel classes take their species from it).
     */
    public static GemmKernel gemmKernel() {
        // One table of tile shapes (KernelProvider.tile), which the blocking model also reads.
        return KernelProvider.tile(KernelProvider.choice().bits())[0] == VectorGemmKernel12x2v.MR
                ? new VectorGemmKernel12x2v() : new VectorGemmKernel6x2v();
    }

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

    /** The elementwise passes of a training step (parameter update, bias, ReLU), at the width the provider chose. */
    public static dev.simdgrad.kernels.internal.elementwise.ElementwiseKernel elementwiseKernel() {
        return new VectorElementwiseKernel();
    }

    /** SGEMM's path for C of one row, at the width the provider chose. */
    public static dev.simdgrad.kernels.internal.gemm.RowProduct rowProduct() {
        return new VectorRowProduct();
    }

    /**
     * {@code dst[dOff + j*ldd + i] = src[sOff + i*lds + j]} for a {@code rows x cols} block, in 16 x 16 register
     * blocks: 512 bits only (two-vector selections of 16 lanes; see {@link VectorTranspose}).
     */
    public static void transpose512(float[] src, int sOff, int lds, int rows, int cols, float[] dst, int dOff,
                                    int ldd) {
        VectorTranspose.transpose(src, sOff, lds, rows, cols, dst, dOff, ldd);
    }
}
