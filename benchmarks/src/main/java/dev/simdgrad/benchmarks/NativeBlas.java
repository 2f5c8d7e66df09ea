package dev.simdgrad.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A native BLAS (OpenBLAS) called through the FFM API ({@code java.lang.foreign}), the peer every simdgrad kernel is
 * measured against: {@code cblas_sgemm} for SGEMM and {@code cblas_sgemv} for the column sums the memory-bound
 * kernels are compared with.
 *
 * <p><b>Which library.</b> The system property {@value #PROPERTY} (or the environment variable {@value #ENV}) names a
 * shared library file; otherwise the system's {@code libopenblas.so.0} (Debian: {@code libopenblas0-pthread}) is
 * looked up by the dynamic loader. When none loads, {@link #openBlas()} is empty and the benchmarks skip the native
 * peer with a one-line note ({@link #unavailableReason()}).
 *
 * <p><b>Calls.</b> The downcalls are made with {@link Linker.Option#critical(boolean) critical(true)}: Java arrays
 * are passed in place as heap segments, with no copy and no off-heap staging, so a call costs what the native
 * routine costs (plus a few nanoseconds), the same conditions simdgrad's kernels run under. The thread count is
 * set with {@code openblas_set_num_threads}, process-wide, as OpenBLAS keeps it.
 */
public final class NativeBlas {
    /** System property naming the shared library to load. */
    public static final String PROPERTY = "simdgrad.openblas";
    /** Environment variable naming the shared library to load (the property wins). */
    public static final String ENV = "SIMDGRAD_OPENBLAS";

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private static final Loaded LOADED = load();

    private final String library;
    private final String config;
    private final MethodHandle sgemm;
    private final MethodHandle sgemv;
    private final MethodHandle setThreads;

    private record Loaded(NativeBlas blas, String reason) {
    }

    private NativeBlas(String library, String config, MethodHandle sgemm, MethodHandle sgemv,
                       MethodHandle setThreads) {
        this.library = library;
        this.config = config;
        this.sgemm = sgemm;
        this.sgemv = sgemv;
        this.setThreads = setThreads;
    }

    /** OpenBLAS, if a library could be loaded. */
    public static Optional<NativeBlas> openBlas() {
        return Optional.ofNullable(LOADED.blas());
    }

    /** Why {@link #openBlas()} is empty, in one line (null when it is not). */
    public static String unavailableReason() {
        return LOADED.reason();
    }

    /** The library file or name that was loaded. */
    public String library() {
        return library;
    }

    /** OpenBLAS's own description ({@code openblas_get_config}, and the core it chose), or "unknown". */
    public String config() {
        return config;
    }

    /** Sets OpenBLAS's thread count (process-wide). */
    public void setThreads(int threads) {
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /**
     * Row-major {@code C := alpha op(A) op(B) + beta C}, as {@code dev.simdgrad.kernels.Sgemm.sgemm} takes it (without
     * its argument checks: the caller passes consistent shapes).
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
                      int ldb, float beta, float[] c, int ldc) {
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb, beta, MemorySegment.ofArray(c),
                    ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }

    /**
     * Row-major {@code y := alpha op(A) x + beta y} for an m x n matrix A ({@code cblas_sgemv}); with A the B x P
     * matrix of per-example gradients, {@code trans = true} and x = (1/B, ..., 1/B) it is the column mean.
     */
    public void sgemv(boolean trans, int m, int n, float alpha, float[] a, int lda, float[] x, float beta, float[] y) {
        try {
            sgemv.invokeExact(ROW_MAJOR, trans ? TRANS : NO_TRANS, m, n, alpha, MemorySegment.ofArray(a), lda,
                    MemorySegment.ofArray(x), 1, beta, MemorySegment.ofArray(y), 1);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemv failed", t);
        }
    }

    private static Loaded load() {
        String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
        List<String> candidates = new ArrayList<>();
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(explicit);
        } else {
            candidates.add("libopenblas.so.0");
            candidates.add("libopenblas.so");
        }
        StringBuilder tried = new StringBuilder();
        for (String name : candidates) {
            try {
                SymbolLookup lookup = name.contains("/") ? SymbolLookup.libraryLookup(Path.of(name), Arena.global())
                        : SymbolLookup.libraryLookup(name, Arena.global());
                return new Loaded(bind(name, lookup), null);
            } catch (IllegalArgumentException | IllegalStateException e) {
                tried.append(tried.isEmpty() ? "" : "; ").append(name).append(": ").append(e.getMessage());
            }
        }
        String hint = explicit != null ? "" : " (install Debian's libopenblas0-pthread, or name a library with -D"
                + PROPERTY + "=FILE)";
        if (explicit != null && !Files.exists(Path.of(explicit))) {
            tried = new StringBuilder(explicit + " does not exist");
        }
        return new Loaded(null, "OpenBLAS not loaded: " + tried + hint);
    }

    private static NativeBlas bind(String name, SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        var p = ValueLayout.ADDRESS;
        Linker.Option heap = Linker.Option.critical(true);
        MethodHandle sgemm = linker.downcallHandle(symbol(lookup, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i), heap);
        MethodHandle sgemv = linker.downcallHandle(symbol(lookup, "cblas_sgemv"),
                FunctionDescriptor.ofVoid(i, i, i, i, f, p, i, p, i, f, p, i), heap);
        MethodHandle threads = linker.downcallHandle(symbol(lookup, "openblas_set_num_threads"),
                FunctionDescriptor.ofVoid(i));
        String config = "unknown";
        try {
            MethodHandle cfg = linker.downcallHandle(symbol(lookup, "openblas_get_config"),
                    FunctionDescriptor.of(p));
            MethodHandle core = linker.downcallHandle(symbol(lookup, "openblas_get_corename"),
                    FunctionDescriptor.of(p));
            config = string((MemorySegment) cfg.invokeExact()) + ", core " + string((MemorySegment) core.invokeExact());
        } catch (Throwable ignored) {
            // A BLAS without OpenBLAS's introspection still serves as a peer; its description stays "unknown".
        }
        return new NativeBlas(name, config, sgemm, sgemv, threads);
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
    }

    private static String string(MemorySegment s) {
        return s.reinterpret(4096).getString(0);
    }
}
