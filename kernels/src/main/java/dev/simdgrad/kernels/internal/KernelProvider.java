package dev.simdgrad.kernels.internal;

import dev.simdgrad.kernels.SgemmBlocking;
import dev.simdgrad.kernels.internal.gemm.BlockingModel;
import dev.simdgrad.kernels.internal.gemm.GemmKernel;
import dev.simdgrad.kernels.internal.gemm.ScalarGemmKernel;
import dev.simdgrad.kernels.internal.simd.VectorSupportProbe;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Picks, once per JVM, the implementation behind every kernel: the Vector API at a width, or plain Java.
 *
 * <p>The Vector API path is used when the {@code jdk.incubator.vector} module is readable, the JIT is C2 (the
 * intrinsics exist only there), FMA is available in hardware, and the preferred vector width is at least 128 bits.
 * The system property {@code simdgrad.vector.bits} (0, 128, 256, 512) forces a width, 0 meaning scalar; a width
 * above the CPU's preferred one is lowered to it (the API would otherwise run in pure Java, slower than scalar).
 * Any other value is ignored with a warning naming the property, the value and the allowed values, and the width
 * is chosen as without the property: never an error that would leave the kernels' classes unusable in this JVM.
 * The choice is logged once through {@link System.Logger}, with the hint to enable SIMD when it falls back.
 *
 * <p>The SGEMM cache blocking is chosen here too, from the CPU's caches ({@link CpuCaches}) and the register tile of
 * the CPU's preferred width ({@link BlockingModel}), overridable by system properties ({@link SgemmBlocking}). It
 * does not depend on the width a JVM forces, so every width gives the same SGEMM bits on one machine.
 */
public final class KernelProvider {
    /** Name of the system property that forces the vector width. */
    public static final String BITS_PROPERTY = "simdgrad.vector.bits";

    private static final System.Logger LOG = System.getLogger("dev.simdgrad.kernels");
    private static final Choice CHOICE = choose();

    /** What was chosen and why. */
    public record Choice(int bits, int preferredBits, boolean fma, String reason, SgemmBlocking blocking) {
    }

    private KernelProvider() {
    }

    /** The chosen implementation (decided at class initialization). */
    public static Choice choice() {
        return CHOICE;
    }

    private static Choice choose() {
        Choice c = decide();
        String prop = System.getProperty(BITS_PROPERTY);
        if (prop != null && !prop.isBlank() && requestedBits(prop) < 0) {
            // Not an error that stops the JVM: failing here would fail this class's initialization and leave every
            // kernel unusable until restart. Every width meets the same error bounds, so the automatic choice costs
            // speed at most; the warning names the property, the value and the allowed values.
            String ignored = BITS_PROPERTY + "=" + prop + " ignored (not one of 0, 128, 256, 512)";
            LOG.log(System.Logger.Level.WARNING, "simdgrad: " + ignored + "; choosing the width automatically");
            c = new Choice(c.bits(), c.preferredBits(), c.fma(), c.reason() + "; " + ignored, c.blocking());
        }
        if (c.bits() == 0) {
            LOG.log(System.Logger.Level.INFO, "simdgrad: scalar kernels ({0}); SGEMM blocking {1}", c.reason(),
                    c.blocking());
        } else {
            LOG.log(System.Logger.Level.INFO, "simdgrad: Java vector incubator API enabled; {0}-bit FloatVector"
                    + " (preferred {1}), FMA {2}; {3}; SGEMM blocking {4}", c.bits(), c.preferredBits(),
                    c.fma() ? "enabled" : "disabled", c.reason(), c.blocking());
        }
        return c;
    }

    private static Choice decide() {
        String prop = System.getProperty(BITS_PROPERTY);
        int requested = prop == null || prop.isBlank() ? -1 : requestedBits(prop);
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (requested == 0) {
            int preferred = vector.isPresent() ? VectorSupportProbe.preferredBits() : 0;
            return scalar(preferred, BITS_PROPERTY + "=0 forces the scalar path");
        }
        if (vector.isEmpty()) {
            return scalar(0, "the jdk.incubator.vector module is not readable; add --add-modules jdk.incubator.vector"
                    + " to the java command line to enable SIMD");
        }
        int preferred = VectorSupportProbe.preferredBits();
        String jitProblem = jitProblem();
        if (jitProblem != null) {
            return scalar(preferred, jitProblem + "; the Vector API is only intrinsified by C2");
        }
        if (preferred < 128) {
            return scalar(preferred, "the preferred vector width is " + preferred + " bits (< 128)");
        }
        if (!fmaAvailable()) {
            return scalar(preferred, "the CPU has no FMA (-XX:-UseFMA), without which vector FMA is emulated");
        }
        int bits = requested > 0 ? Math.min(requested, preferred) : preferred;
        String reason = requested > 0
                ? (requested > preferred
                        ? BITS_PROPERTY + "=" + requested + " lowered to the CPU's preferred " + preferred
                        : "forced by " + BITS_PROPERTY + "=" + requested)
                : "the CPU's preferred width";
        return new Choice(bits, preferred, true, reason, blocking(preferred));
    }

    /** The width a {@link #BITS_PROPERTY} value asks for: 0, 128, 256 or 512, or -1 for any other value. */
    private static int requestedBits(String prop) {
        try {
            int bits = Integer.parseInt(prop.trim());
            return bits == 0 || bits == 128 || bits == 256 || bits == 512 ? bits : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Choice scalar(int preferred, String reason) {
        boolean fma = fmaAvailable();
        return new Choice(0, preferred, fma, reason, blocking(preferred));
    }

    /**
     * The SGEMM micro-kernel at the chosen width. Created on demand, not with the choice: the vector kernels take
     * their species from {@link #choice()}, which is null while this class initializes.
     */
    public static GemmKernel gemmKernel() {
        return CHOICE.bits() == 0 ? new ScalarGemmKernel(CHOICE.fma()) : VectorSupportProbe.gemmKernel();
    }

    /**
     * MR x NR of the SGEMM micro-kernel at a width (0 = scalar), without loading its class (the vector kernels
     * take their species from this provider, which is still initializing): the one table of tile shapes, read by the
     * blocking model and by {@code VectorSupportProbe.gemmKernel}, which picks the class by MR. {@code
     * SimdProviderTest} checks it against the kernel that runs.
     */
    public static int[] tile(int bits) {
        return switch (bits) {
            case 128, 256 -> new int[] {6, 2 * bits / Float.SIZE};
            case 512 -> new int[] {12, 2 * bits / Float.SIZE};
            default -> new int[] {4, 4};
        };
    }

    /**
     * The model's blocking for this CPU's caches and its preferred width's tile, or a tuning file's when one is named
     * and matches, with the size properties applied on top.
     */
    private static SgemmBlocking blocking(int preferredBits) {
        int[] t = tile(preferredBits >= 128 ? preferredBits : 0);
        CpuCaches caches = CpuCaches.detect();
        java.util.function.Consumer<String> warn = w -> LOG.log(System.Logger.Level.WARNING, "simdgrad: " + w);
        SgemmBlocking b = BlockingModel.derive(caches, t[0], t[1]);
        String tuning = System.getProperty(SgemmBlocking.TUNING_PROPERTY);
        if (tuning != null && !tuning.isBlank()) {
            b = BlockingModel.withTuning(b, caches, t[0], t[1], java.nio.file.Path.of(tuning.trim()), warn);
        }
        return BlockingModel.withOverrides(b, t[0], t[1], System::getProperty, warn);
    }

    /** Returns why the JIT cannot run the Vector API intrinsics, or null if it can (or we cannot tell). */
    private static String jitProblem() {
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return null;
        }
        String useCompiler = vmOption("UseCompiler");
        if ("false".equals(useCompiler)) {
            return "the JIT is disabled (-Xint)";
        }
        String level = vmOption("TieredStopAtLevel");
        boolean tiered = !"false".equals(vmOption("TieredCompilation"));
        if (tiered && level != null && Integer.parseInt(level) < 4) {
            return "C2 is disabled (-XX:TieredStopAtLevel=" + level + ")";
        }
        return null;
    }

    private static boolean fmaAvailable() {
        return !"false".equals(vmOption("UseFMA"));
    }

    private static String vmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null; // not HotSpot, or the management modules are absent: assume the defaults
        }
    }
}
