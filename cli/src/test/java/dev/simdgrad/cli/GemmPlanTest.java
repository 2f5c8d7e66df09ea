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
        List<GemmPlan.Run> runs = GemmPlan.defaults(true, List.of(1, 2)).runs();
        assertEquals(3, runs.size());
        assertEquals(GemmPlan.QUICK_SHAPES, runs.get(0).shapes());
        assertEquals("ejml|ojalgo", runs.get(1).methods());
        assertTrue(runs.get(1).shapes().stream().allMatch(s -> s.flops() <= GemmPlan.QUICK_PEER_MAX_FLOPS));
        assertTrue(!runs.get(1).shapes().contains(GemmShape.parse("NN:1024x1024x1024")));
        assertEquals(5, runs.get(1).shapes().size());
        assertEquals(List.of(1), runs.get(1).threads());
        assertEquals(List.of(GemmShape.parse("NN:128x128x128")), runs.get(2).shapes());
        assertEquals(List.of(1), runs.get(2).threads());
    }

    @Test
    void fullRunsEveryShapeWithPeersAndTwoForks() {
        GemmPlan full = GemmPlan.defaults(false, List.of(1));
        assertEquals(SgemmBenchmark.SHAPES.length, full.shapes().size());
        assertEquals(full.shapes(), full.runs().get(1).shapes());
        assertEquals(List.of(1), full.runs().get(1).threads());
        assertEquals(List.of(1, 2), GemmPlan.defaults(false, List.of(1, 2)).runs().get(1).threads());
        Options o = full.options(full.runs().get(0), null);
        assertEquals(2, o.getForkCount().get());
        assertTrue(o.getJvmArgsAppend().get().contains(GemmPlan.VECTOR_FLAG));
        assertTrue("dev.simdgrad.benchmarks.SgemmBenchmark.simdgrad".matches(o.getIncludes().get(0)));
        assertTrue(!"dev.simdgrad.benchmarks.SgemmBenchmark.ejml".matches(o.getIncludes().get(0)));
    }
}
