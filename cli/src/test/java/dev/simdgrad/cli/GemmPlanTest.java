package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.benchmarks.GemmShape;
import dev.simdgrad.benchmarks.SgemmBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

class GemmPlanTest {
    @Test
    void quickRunsPeersAndReferenceOnlyWhereTheyFinishQuickly() {
        List<GemmPlan.Run> all = GemmPlan.defaults(true, List.of(1, 2)).runs();
        // Native OpenBLAS runs where a library loads (NativeBlas), on every shape and thread count, like simdgrad.
        boolean blas = GemmPlan.openBlasAvailable();
        assertEquals(blas ? 5 : 4, all.size());
        assertEquals(GemmPlan.QUICK_SHAPES, all.get(0).shapes());
        List<GemmPlan.Run> runs = all.stream().filter(r -> !r.methods().equals("openblas")).toList();
        if (blas) {
            GemmPlan.Run native_ = all.get(1);
            assertEquals("openblas", native_.methods());
            assertEquals(GemmPlan.QUICK_SHAPES, native_.shapes());
            assertEquals(List.of(1, 2), native_.threads());
        }
        assertEquals("netlib", runs.get(1).methods());
        assertEquals(GemmPlan.QUICK_SHAPES, runs.get(1).shapes());
        assertEquals(List.of(1), runs.get(1).threads());
        assertEquals("ejml|ojalgo", runs.get(2).methods());
        assertTrue(runs.get(2).shapes().stream().allMatch(s -> s.flops() <= GemmPlan.QUICK_PEER_MAX_FLOPS));
        assertTrue(!runs.get(2).shapes().contains(GemmShape.parse("NN:1024x1024x1024")));
        assertEquals(5, runs.get(2).shapes().size());
        assertEquals(List.of(1), runs.get(2).threads());
        assertEquals(List.of(GemmShape.parse("NN:128x128x128")), runs.get(3).shapes());
        assertEquals(List.of(1), runs.get(3).threads());
    }

    @Test
    void fullRunsEveryShapeWithPeersAndTwoForks() {
        GemmPlan full = GemmPlan.defaults(false, List.of(1));
        assertEquals(SgemmBenchmark.SHAPES.length, full.shapes().size());
        GemmPlan.Run peers = full.runs().stream().filter(r -> r.methods().equals("ejml|ojalgo")).findFirst()
                .orElseThrow();
        assertEquals(full.shapes(), peers.shapes());
        assertEquals(List.of(1), peers.threads());
        assertEquals(List.of(1, 2), GemmPlan.defaults(false, List.of(1, 2)).runs().stream()
                .filter(r -> r.methods().equals("ejml|ojalgo")).findFirst().orElseThrow().threads());
        Options o = full.options(full.runs().get(0), null);
        assertEquals(2, o.getForkCount().get());
        assertTrue(o.getJvmArgsAppend().get().contains(GemmPlan.VECTOR_FLAG));
        assertTrue(o.getJvmArgsAppend().get().contains(GemmPlan.NATIVE_ACCESS_FLAG));
        assertTrue("dev.simdgrad.benchmarks.SgemmBenchmark.simdgrad".matches(o.getIncludes().get(0)));
        assertTrue(!"dev.simdgrad.benchmarks.SgemmBenchmark.ejml".matches(o.getIncludes().get(0)));
    }
}
