package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.KernelProvider;

/**
 * Which implementation runs the kernels in this JVM: the JDK Vector API at some width, or plain Java.
 *
 * <p>Decided once, at first use, from the {@code jdk.incubator.vector} module (is it readable?), the JIT (C2?),
 * FMA support, the CPU's preferred vector width and the system property {@code simdgrad.vector.bits}
 * (0 = scalar, 128, 256 or 512; a width above the CPU's preferred one is lowered to it). The decision and its reason
 * are logged once through {@link System.Logger} {@code dev.simdgrad.kernels}.
 */
public final class Simd {
    private Simd() {
    }

    /** The vector width the kernels use, in bits: 128, 256 or 512, or 0 for the scalar path. */
    public static int vectorBits() {
        return KernelProvider.choice().bits();
    }

    /** True when the kernels run on the Vector API. */
    public static boolean isVectorized() {
        return vectorBits() > 0;
    }

    /** The CPU's preferred float vector width in bits as the Vector API reports it, or 0 if it was not asked. */
    public static int preferredBits() {
        return KernelProvider.choice().preferredBits();
    }

    /** True when the JVM uses hardware FMA ({@code -XX:+UseFMA}). */
    public static boolean fma() {
        return KernelProvider.choice().fma();
    }

    /** Why this path and width were chosen, e.g. "forced by simdgrad.vector.bits=256". */
    public static String reason() {
        return KernelProvider.choice().reason();
    }

    /** Rows x columns of the SGEMM register tile (MR x NR) of the chosen micro-kernel, e.g. "12x32". */
    public static String gemmTile() {
        var g = dev.simdgrad.kernels.internal.gemm.GemmDriver.kernel();
        return g.mr() + "x" + g.nr();
    }

    /** The cache blocking of {@link Sgemm} in this JVM: from the CPU's caches, or the system properties. */
    public static SgemmBlocking sgemmBlocking() {
        return KernelProvider.choice().blocking();
    }

    /** One line for logs and reports: path, width, FMA, SGEMM tile and blocking, and the reason. */
    public static String describe() {
        return (isVectorized() ? "vector " + vectorBits() + "-bit" : "scalar") + ", preferred " + preferredBits()
                + "-bit, FMA " + (fma() ? "on" : "off") + ", sgemm tile " + gemmTile() + ", KC/MC/NC "
                + sgemmBlocking().kc() + "/" + sgemmBlocking().mc() + "/" + sgemmBlocking().nc() + " (" + reason() + ")";
    }
}
