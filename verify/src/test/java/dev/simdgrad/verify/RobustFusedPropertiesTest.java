package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.DenseLayer;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.kernels.RobustAggregate;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link PerExample#gram} against the inner products of the exact per-example gradients, and the fused robust
 * aggregators of {@link RobustAggregate} against the explicit ones of {@link Aggregate} on the materialized
 * per-example gradients, within the bounds of the {@code RobustAggregate} Javadoc: a selection may differ only on a
 * near tie (the statistics count them), Krum's and Bulyan's results are then bitwise the explicit ones.
 */
class RobustFusedPropertiesTest {
    static final double U = ErrorBounds.U;

    /** A small network: 1..3 dense layers over one batch, the bias on the layers with even index. */
    record Net(int batch, FusedAggregatePropertiesTest.Layer[] layers, int kind, long seed) {
        static Net make(int batch, int count, int kind, long seed) {
            Random r = new Random(seed);
            FusedAggregatePropertiesTest.Layer[] ls = new FusedAggregatePropertiesTest.Layer[count];
            for (int l = 0; l < count; l++) {
                ls[l] = FusedAggregatePropertiesTest.Layer.make(batch, 1 + r.nextInt(8), 1 + r.nextInt(40), kind,
                        r.nextLong());
            }
            return new Net(batch, ls, kind, seed);
        }

        static boolean bias(int l) {
            return l % 2 == 0;
        }

        int cols() {
            int p = 0;
            for (int l = 0; l < layers.length; l++) {
                p += layers[l].dOut() * layers[l].dIn() + (bias(l) ? layers[l].dOut() : 0);
            }
            return p;
        }

        /** The B x P per-example gradients, each row the layers' weights then bias, layer after layer. */
        float[] materialize() {
            int p = cols();
            float[] g = new float[batch * p];
            int at = 0;
            for (int l = 0; l < layers.length; l++) {
                var y = layers[l];
                int q = y.dOut() * y.dIn() + (bias(l) ? y.dOut() : 0);
                PerExample.gradients(batch, y.dOut(), y.dIn(), y.d(), y.dOff(), y.ldd(), y.x(), y.xOff(), y.ldx(),
                        bias(l), 0, q, g, at, p);
                at += q;
            }
            return g;
        }

        /** Fresh outputs (a flat vector in the same layout as a materialized row) and the layers writing to it. */
        DenseLayer[] dense(float[] flat) {
            DenseLayer[] out = new DenseLayer[layers.length];
            int at = 0;
            for (int l = 0; l < layers.length; l++) {
                var y = layers[l];
                out[l] = new DenseLayer(y.dOut(), y.dIn(), y.d(), y.dOff(), y.ldd(), y.x(), y.xOff(), y.ldx(), flat,
                        at, y.dIn(), bias(l) ? flat : null, bias(l) ? at + y.dOut() * y.dIn() : 0);
                at += y.dOut() * y.dIn() + (bias(l) ? y.dOut() : 0);
            }
            return out;
        }

        /** The exact per-example gradients in double (a product of floats is exact in double). */
        double[][] exact() {
            double[][] e = new double[batch][cols()];
            for (int i = 0; i < batch; i++) {
                int at = 0;
                for (int l = 0; l < layers.length; l++) {
                    var y = layers[l];
                    for (int r = 0; r < y.dOut(); r++) {
                        double dv = y.d()[y.dOff() + i * y.ldd() + r];
                        for (int c = 0; c < y.dIn(); c++) {
                            e[i][at++] = dv * y.x()[y.xOff() + i * y.ldx() + c];
                        }
                    }
                    if (bias(l)) {
                        for (int r = 0; r < y.dOut(); r++) {
                            e[i][at++] = y.d()[y.dOff() + i * y.ldd() + r];
                        }
                    }
                }
            }
            return e;
        }

        /** K of the Javadoc: max over layers of dIn + dOut, plus 3, plus the layer count. */
        int gramTerms() {
            int k = 0;
            for (var y : layers) {
                k = Math.max(k, y.dIn() + y.dOut());
            }
            return k + 3 + layers.length;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Net[B=" + batch + ", kind=" + kind + ", seed=" + seed + ", layers=");
            for (var y : layers) {
                s.append(y.dOut()).append('x').append(y.dIn()).append(' ');
            }
            return s.append(']').toString();
        }
    }

    static Net net(int batch, int count, int kind, long seed) {
        return Net.make(batch, count, kind, seed);
    }

    /** The accumulated Gram matrix within {@code 2 gamma_d(K + P) ||g_i|| ||g_j||} of the exact inner products. */
    @Property(tries = 100)
    void gramMatchesTheExactInnerProducts(@ForAll @IntRange(min = 1, max = 40) int batch,
                                          @ForAll @IntRange(min = 1, max = 3) int layers,
                                          @ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed) {
        Net n = net(batch, layers, kind, seed);
        int ld = batch + 2;
        double[] g = new double[1 + batch * ld];
        Arrays.fill(g, 7.5);
        for (int l = 0; l < layers; l++) {
            var y = n.layers()[l];
            PerExample.gram(batch, y.dOut(), y.dIn(), y.d(), y.dOff(), y.ldd(), y.x(), y.xOff(), y.ldx(), Net.bias(l),
                    l > 0, g, 1, ld);
        }
        double[][] e = n.exact();
        double bound = 2 * ErrorBounds.gammaDouble(n.gramTerms() + n.cols());
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j < batch; j++) {
                double got = g[1 + i * ld + j];
                assertEquals(Double.doubleToLongBits(got), Double.doubleToLongBits(g[1 + j * ld + i]),
                        "symmetric bits " + i + "," + j);
                double ref = 0, ni = 0, nj = 0;
                for (int q = 0; q < e[i].length; q++) {
                    ref += e[i][q] * e[j][q];
                    ni += e[i][q] * e[i][q];
                    nj += e[j][q] * e[j][q];
                }
                if (!Double.isFinite(ni) || !Double.isFinite(nj)) {
                    continue; // a non-finite example: its row of G is not finite (checked by the rules' NaN tests)
                }
                double tol = bound * Math.sqrt(ni) * Math.sqrt(nj) + Double.MIN_VALUE;
                if (!(Math.abs(got - ref) <= tol)) {
                    fail("G[" + i + "][" + j + "] = " + got + ", exact " + ref + ", error " + Math.abs(got - ref)
                            + " > " + tol + " " + n);
                }
            }
            for (int j = batch; j < ld; j++) {
                assertEquals(7.5, g[1 + i * ld + j], "padding written");
            }
        }
        assertEquals(7.5, g[0], "before the offset written");
    }

    /** m-coherence from the Gram matrix against the exact per-example gradients, within the Javadoc's bound. */
    @Property(tries = 80)
    void coherenceFromTheGramMatrix(@ForAll @IntRange(min = 1, max = 40) int batch,
                                    @ForAll @IntRange(min = 1, max = 3) int layers,
                                    @ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        Net n = net(batch, layers, kind, seed);
        double[] g = new double[batch * batch];
        for (int l = 0; l < layers; l++) {
            var y = n.layers()[l];
            PerExample.gram(batch, y.dOut(), y.dIn(), y.d(), y.dOff(), y.ldd(), y.x(), y.xOff(), y.ldx(), Net.bias(l),
                    l > 0, g, 0, batch);
        }
        double got = dev.simdgrad.kernels.Coherence.mCoherence(g, 0, batch, batch);
        double[][] e = n.exact();
        double[] sum = new double[n.cols()];
        double sumSq = 0, sumNorms = 0;
        for (double[] v : e) {
            double sq = 0;
            for (int q = 0; q < v.length; q++) {
                sum[q] += v[q];
                sq += v[q] * v[q];
            }
            sumSq += sq;
            sumNorms += Math.sqrt(sq);
        }
        double all = 0;
        for (double v : sum) {
            all += v * v;
        }
        double ref = all / sumSq;
        if (sumSq == 0) {
            assertTrue(Double.isNaN(got), "0 / 0 is NaN");
            return;
        }
        int k = n.gramTerms() + n.cols();
        double bound = 2 * ErrorBounds.gammaDouble(k + (long) batch * batch) * sumNorms * sumNorms / sumSq
                + 2 * ErrorBounds.gammaDouble(k + batch) * Math.abs(ref) + Math.ulp(ref);
        assertTrue(Math.abs(got - ref) <= bound, "m-coherence " + got + " vs " + ref + " bound " + bound + " " + n);
    }

    /** Per pair: the explicit rules see fl(d x): {@code (3u + 4 gamma_d(K + P)) (|g_i| + |g_j|)^2}. */
    static double pairBound(Net n) {
        return 3 * U + 4 * ErrorBounds.gammaDouble(n.gramTerms() + n.cols());
    }

    /** The sum of the k largest pair bounds of row i (scores of k distances). */
    static double scoreBound(double[] norms, boolean[] active, int i, int k, double per) {
        if (k == 0 || !Double.isFinite(norms[i])) {
            return 0;
        }
        double[] e = new double[norms.length];
        int c = 0;
        for (int j = 0; j < norms.length; j++) {
            if (j != i && active[j] && Double.isFinite(norms[j])) {
                e[c++] = per * (norms[i] + norms[j]) * (norms[i] + norms[j]);
            }
        }
        return ReferenceRobust.largestSum(e, c, k);
    }

    /** Fused Krum picks the explicit Krum's example unless their reference scores are within the bound. */
    @Property(tries = 120)
    void fusedKrumEqualsExplicit(@ForAll @IntRange(min = 3, max = 40) int batch,
                                 @ForAll @IntRange(min = 1, max = 3) int layers,
                                 @ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed,
                                 @ForAll @IntRange(min = 0, max = 1000) int pick) {
        Net n = net(batch, layers, kind, seed);
        int f = RobustAggregatePropertiesTest.pickF(batch, 2, pick), p = n.cols();
        float[] g = n.materialize(), explicit = new float[p], fused = new float[p];
        int ie = Aggregate.krum(g, 0, batch, p, p, f, explicit, 0);
        int iF = RobustAggregate.krum(batch, n.dense(fused), f);
        if (ie < 0 || iF < 0) {
            assertEquals(ie, iF, "both or neither without a finite score " + n);
            RobustAggregatePropertiesTest.allNaN("fused krum " + n, fused, 0, p);
            Statistics.label("fused krum").collect("no finite score: NaN");
            return;
        }
        AggregateChecks.sameBits("fused krum is the materialized row " + iF + " " + n,
                Arrays.copyOfRange(g, iF * p, iF * p + p), fused);
        if (ie == iF) {
            Statistics.label("fused krum").collect("same example");
            return;
        }
        double[][] r = ReferenceRobust.rows(g, 0, batch, p, p);
        boolean[] active = RobustAggregatePropertiesTest.all(batch);
        double[][] dist = ReferenceRobust.distances(r);
        double[] sc = ReferenceRobust.krumScores(r, dist, active, f);
        double[] norms = RobustAggregatePropertiesTest.norms(r);
        int k = batch - f - 2;
        double per = pairBound(n);
        double slack = scoreBound(norms, active, ie, k, per) + scoreBound(norms, active, iF, k, per)
                + ReferenceRobust.scoreBound(norms, dist, active, ie, k, p) + ReferenceRobust.scoreBound(norms, dist, active, iF,
                k, p);
        assertTrue(Math.abs(sc[ie] - sc[iF]) <= slack, "fused krum picked " + iF + " (score " + sc[iF]
                + "), explicit " + ie + " (" + sc[ie] + "), beyond the bound " + slack + " " + n);
        Statistics.label("fused krum").collect("near tie: another example");
    }

    /** Fused Multi-Krum against explicit: within twice the mean's bound when the selection is clear. */
    @Property(tries = 100)
    void fusedMultiKrumEqualsExplicit(@ForAll @IntRange(min = 3, max = 40) int batch,
                                      @ForAll @IntRange(min = 1, max = 3) int layers,
                                      @ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed,
                                      @ForAll @IntRange(min = 0, max = 1000) int pick) {
        Net n = net(batch, layers, kind, seed);
        int f = RobustAggregatePropertiesTest.pickF(batch, 2, pick), m = 1 + (pick / 7) % batch, p = n.cols();
        float[] g = n.materialize(), explicit = new float[p], fused = new float[p];
        Aggregate.multiKrum(g, 0, batch, p, p, f, m, explicit, 0);
        RobustAggregate.multiKrum(batch, n.dense(fused), f, m);
        double[][] r = ReferenceRobust.rows(g, 0, batch, p, p);
        boolean[] active = RobustAggregatePropertiesTest.all(batch);
        double[][] dist = ReferenceRobust.distances(r);
        double[] sc = ReferenceRobust.krumScores(r, dist, active, f);
        double[] norms = RobustAggregatePropertiesTest.norms(r);
        Integer[] order = new Integer[batch];
        for (int i = 0; i < batch; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> sc[a] != sc[b] ? Double.compare(sc[a], sc[b]) : Integer.compare(a, b));
        if (!Double.isFinite(sc[order[m - 1]])) {
            RobustAggregatePropertiesTest.allNaN("fused multi-krum " + n, fused, 0, p);
            Statistics.label("fused multi-krum").collect("non-finite selection: NaN");
            return;
        }
        int k = batch - f - 2;
        double per = pairBound(n), worstIn = Double.NEGATIVE_INFINITY, bestOut = Double.POSITIVE_INFINITY;
        for (int q = 0; q < batch; q++) {
            double b = scoreBound(norms, active, order[q], k, per)
                    + ReferenceRobust.scoreBound(norms, dist, active, order[q], k, p);
            if (q < m) {
                worstIn = Math.max(worstIn, sc[order[q]] + b);
            } else {
                bestOut = Math.min(bestOut, sc[order[q]] - b);
            }
        }
        if (worstIn >= bestOut) {
            Statistics.label("fused multi-krum").collect("near tie at the m-th example: not compared");
            return;
        }
        Statistics.label("fused multi-krum").collect("clear: compared");
        double[] ref = new double[p], bound = new double[p];
        for (int j = 0; j < p; j++) {
            ref[j] = explicit[j];
            for (int q = 0; q < m; q++) {
                bound[j] += 2 * ErrorBounds.gamma(m + 3) * Math.abs(r[order[q]][j]) / m;
            }
        }
        AggregateChecks.within("fused multi-krum m=" + m + " " + n, fused, 0, ref, bound, 0.0);
    }

    /** Fused Bulyan is bitwise the explicit Bulyan over one of the selections the bound allows. */
    @Property(tries = 100)
    void fusedBulyanEqualsExplicit(@ForAll @IntRange(min = 3, max = 40) int batch,
                                   @ForAll @IntRange(min = 1, max = 3) int layers,
                                   @ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed,
                                   @ForAll @IntRange(min = 0, max = 1000) int pick) {
        Net n = net(batch, layers, kind, seed);
        int f = RobustAggregatePropertiesTest.pickF(batch, 4, pick), p = n.cols(), theta = batch - 2 * f;
        float[] g = n.materialize(), explicit = new float[p], fused = new float[p];
        Aggregate.bulyan(g, 0, batch, p, p, f, explicit, 0);
        RobustAggregate.bulyan(batch, n.dense(fused), f);
        if (Arrays.equals(explicit, fused)) {
            Statistics.label("fused bulyan").collect("bitwise the explicit result");
            return;
        }
        // a different selection: it must be one the bound allows, and its explicit trimmed mean bit for bit
        double[][] r = ReferenceRobust.rows(g, 0, batch, p, p);
        double[][] d = ReferenceRobust.distances(r);
        double[] norms = RobustAggregatePropertiesTest.norms(r);
        java.util.List<boolean[]> finals = new java.util.ArrayList<>();
        boolean[] active = RobustAggregatePropertiesTest.all(batch);
        boolean complete = search(r, d, norms, f, p, theta, active, pairBound(n), new java.util.HashSet<>(), finals,
                4096);
        if (!complete) {
            Statistics.label("fused bulyan").collect("differs; over 4096 near-tie branches: not compared");
            return;
        }
        for (boolean[] left : finals) {
            float[] sub = new float[theta * p], t = new float[p];
            int q = 0;
            for (int i = 0; i < batch; i++) {
                if (!left[i]) {
                    System.arraycopy(g, i * p, sub, q++ * p, p);
                }
            }
            Aggregate.trimmedMean(sub, 0, theta, p, p, f, t, 0);
            if (Arrays.equals(t, fused)) {
                Statistics.label("fused bulyan").collect("near tie: another allowed selection, bitwise");
                return;
            }
        }
        fail("fused bulyan f=" + f + " matches none of the " + finals.size() + " allowed selections " + n);
    }

    private static boolean search(double[][] r, double[][] d, double[] norms, int f, int cols, int theta,
                                  boolean[] active, double per, java.util.Set<String> seen,
                                  java.util.List<boolean[]> finals, int limit) {
        int n = r.length, count = 0;
        for (boolean a : active) {
            count += a ? 1 : 0;
        }
        String key = Arrays.toString(active);
        if (!seen.add(key)) {
            return true;
        }
        if (seen.size() > limit) {
            return false;
        }
        if (n - count == theta) {
            finals.add(active.clone());
            return true;
        }
        double[] sc = ReferenceRobust.krumScores(r, d, active, f);
        double[][] dist = d;
        int kk = Math.max(0, count - f - 2);
        int best = ReferenceRobust.argMin(sc, active);
        double bBest = scoreBound(norms, active, best, kk, per) + ReferenceRobust.scoreBound(norms, dist, active, best, kk,
                cols);
        for (int j = 0; j < n; j++) {
            if (active[j] && (j == best || sc[j] <= sc[best] + bBest + scoreBound(norms, active, j, kk, per)
                    + ReferenceRobust.scoreBound(norms, dist, active, j, kk, cols))) {
                boolean[] next = active.clone();
                next[j] = false;
                if (!search(r, d, norms, f, cols, theta, next, per, seen, finals, limit)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Run to convergence, fused and explicit geometric medians have objectives within (1 + 1e-4) of each other. */
    @Property(tries = 60)
    void fusedGeometricMedianMatchesExplicit(@ForAll @IntRange(min = 1, max = 30) int batch,
                                             @ForAll @IntRange(min = 1, max = 3) int layers,
                                             @ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed) {
        Net n = net(batch, layers, kind, seed);
        int p = n.cols(), iterations = 1000;
        float[] g = n.materialize(), explicit = new float[p], fused = new float[p];
        double[][] r = ReferenceRobust.rows(g, 0, batch, p, p);
        double maxNorm = 0;
        for (double[] v : r) {
            maxNorm = Math.max(maxNorm, ReferenceRobust.finite(v) ? ReferenceRobust.norm(v) : 0);
        }
        double nu = Math.max(Double.MIN_NORMAL, 1e-9 * maxNorm);
        int ie = Aggregate.geometricMedian(g, 0, batch, p, p, nu, iterations, 0, explicit, 0);
        int iF = RobustAggregate.geometricMedian(batch, n.dense(fused), nu, iterations, 0);
        if (!Arrays.stream(r).allMatch(ReferenceRobust::finite)) {
            assertEquals(0, iF);
            RobustAggregatePropertiesTest.allNaN("fused geometric median " + n, fused, 0, p);
            return;
        }
        assertTrue(ie > 0 && iF > 0);
        double rounding = 0;
        for (int j = 0; j < p; j++) {
            double mx = 0;
            for (double[] v : r) {
                mx = Math.max(mx, Math.abs(v[j]));
            }
            rounding += mx * mx;
        }
        double slack = 2 * batch * ErrorBounds.gamma(batch + 3) * Math.sqrt(rounding);
        double fe = ReferenceRobust.objective(r, toDouble(explicit)), ff = ReferenceRobust.objective(r,
                toDouble(fused));
        assertTrue(ff <= (1 + 1e-4) * fe + slack && fe <= (1 + 1e-4) * ff + slack,
                "objectives fused " + ff + ", explicit " + fe + " " + n);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * Fused centered clipping (from the outputs' content) against explicit: within
     * {@code 2 gamma(B + 3) max(|c_j|, max_i |g_ij|) + iterations (4 sqrt(3u + 4 gamma_d(K + P) + 6 rho) + u) M}, rho
     * the explicit rule's relative error of a directly summed distance ({@link ReferenceRobust#directRelative}; in
     * the affine form {@code (D w)_i - w'D w / 2}, w >= 0 summing to 1, it adds at most {@code 6 rho M^2}), plus its
     * subnormal term.
     */
    @Property(tries = 100)
    void fusedCenteredClippingMatchesExplicit(@ForAll @IntRange(min = 1, max = 40) int batch,
                                              @ForAll @IntRange(min = 1, max = 3) int layers,
                                              @ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed,
                                              @ForAll @IntRange(min = 0, max = 1000) int pick) {
        Net n = net(batch, layers, kind, seed);
        int p = n.cols(), iterations = pick % 5;
        float[] g = n.materialize(), center = new float[p];
        Random rnd = new Random(seed ^ pick);
        for (int j = 0; j < p; j++) {
            center[j] = (float) (0.1 * rnd.nextGaussian());
        }
        double[][] r = ReferenceRobust.rows(g, 0, batch, p, p);
        double m = ReferenceRobust.norm(toDouble(center)), spread = 0;
        boolean finite = true;
        for (double[] v : r) {
            finite &= ReferenceRobust.finite(v);
            if (ReferenceRobust.finite(v)) {
                m = Math.max(m, ReferenceRobust.norm(v));
                spread += ReferenceRobust.distance(v, toDouble(center)) / batch;
            }
        }
        float tau = (float) (spread > 0 ? spread * (0.05 + (pick % 20) / 10.0) : 1.0);
        float[] explicit = new float[p], fused = center.clone();
        Aggregate.centeredClipping(g, 0, batch, p, p, center, 0, tau, iterations, explicit, 0);
        RobustAggregate.centeredClipping(batch, n.dense(fused), tau, iterations);
        if (!finite) {
            RobustAggregatePropertiesTest.allNaN("fused centered clipping " + n, fused, 0, p);
            return;
        }
        double drift = iterations * ((4 * Math.sqrt(pairBound(n) + 6 * ReferenceRobust.directRelative(p)) + U) * m
                + 4 * Math.sqrt(3 * ReferenceRobust.directAbsolute(p)));
        double[] ref = toDouble(explicit), bound = new double[p];
        for (int j = 0; j < p; j++) {
            double mx = Math.abs(center[j]);
            for (double[] v : r) {
                mx = Math.max(mx, Math.abs(v[j]));
            }
            bound[j] = 2 * ErrorBounds.gamma(batch + 3) * mx + drift;
        }
        AggregateChecks.within("fused centered clipping " + n, fused, 0, ref, bound, 0.0);
    }

    /** 1..4 threads: the same bits for every fused rule. */
    @Property(tries = 3)
    void threadCountDoesNotChangeBits(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll long seed) {
        int batch = 64;
        Random r = new Random(seed);
        FusedAggregatePropertiesTest.Layer[] ls = {
            FusedAggregatePropertiesTest.Layer.make(batch, 64, 300, kind, r.nextLong()),
            FusedAggregatePropertiesTest.Layer.make(batch, 10, 64, kind, r.nextLong())};
        Net n = new Net(batch, ls, kind, seed);
        int p = n.cols(), saved = Parallelism.threads();
        float[][] first = null;
        try {
            for (int t = 1; t <= 4; t++) {
                Parallelism.setThreads(t);
                float[][] o = new float[5][p];
                RobustAggregate.krum(batch, n.dense(o[0]), 5);
                RobustAggregate.multiKrum(batch, n.dense(o[1]), 5, 20);
                RobustAggregate.geometricMedian(batch, n.dense(o[2]), 1e-6, 10, 1e-7);
                Arrays.fill(o[3], 0.01f);
                RobustAggregate.centeredClipping(batch, n.dense(o[3]), 1f, 2);
                RobustAggregate.bulyan(batch, n.dense(o[4]), 6);
                if (first == null) {
                    first = o;
                } else {
                    for (int q = 0; q < 5; q++) {
                        AggregateChecks.sameBits("fused rule " + q + " with " + t + " threads", first[q], o[q]);
                    }
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Example
    void badArgumentsThrowBeforeWriting() {
        Net n = net(9, 2, 0, 1);
        int p = n.cols();
        float[] out = new float[p];
        Arrays.fill(out, 12345.5f);
        float[] before = out.clone();
        DenseLayer[] ok = n.dense(out);
        var y = n.layers()[0];
        DenseLayer overlapsX = new DenseLayer(y.dOut(), y.dIn(), y.d(), y.dOff(), y.ldd(), y.x(), y.xOff(), y.ldx(),
                y.x(), 0, y.dIn(), null, 0);
        DenseLayer shortB = new DenseLayer(y.dOut(), y.dIn(), y.d(), y.dOff(), y.ldd(), y.x(), y.xOff(), y.ldx(),
                out, 0, y.dIn(), new float[1], 0);
        DenseLayer[] overlapping = {ok[0], ok[0]};
        Object[][] cases = {
            {IllegalArgumentException.class, "batch", (Runnable) () -> RobustAggregate.krum(0, ok, 0)},
            {IllegalArgumentException.class, "f=", (Runnable) () -> RobustAggregate.krum(9, ok, 4)},
            {IllegalArgumentException.class, "layers is null", (Runnable) () -> RobustAggregate.krum(9, null, 0)},
            {IllegalArgumentException.class, "layers[1] is null",
                (Runnable) () -> RobustAggregate.krum(9, new DenseLayer[] {ok[0], null}, 0)},
            {IllegalArgumentException.class, "m=", (Runnable) () -> RobustAggregate.multiKrum(9, ok, 1, 10)},
            {IllegalArgumentException.class, "nu=",
                (Runnable) () -> RobustAggregate.geometricMedian(9, ok, -1, 3, 0)},
            {IllegalArgumentException.class, "tau=",
                (Runnable) () -> RobustAggregate.centeredClipping(9, ok, 0f, 3)},
            {IllegalArgumentException.class, "f=", (Runnable) () -> RobustAggregate.bulyan(9, ok, 2)},
            {IllegalArgumentException.class, "overlap",
                (Runnable) () -> RobustAggregate.krum(9, new DenseLayer[] {overlapsX}, 0)},
            {IndexOutOfBoundsException.class, "gradB.length",
                (Runnable) () -> RobustAggregate.krum(9, new DenseLayer[] {ok[1], shortB}, 0)},
            {IllegalArgumentException.class, "overlap", (Runnable) () -> RobustAggregate.krum(9, overlapping, 0)},
            {IndexOutOfBoundsException.class, "d.length", (Runnable) () -> RobustAggregate.krum(20, ok, 0)},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Class<? extends RuntimeException> type = (Class<? extends RuntimeException>) c[0];
            RuntimeException e = assertThrows(type, ((Runnable) c[2])::run);
            assertTrue(e.getMessage().contains((String) c[1]), "message '" + e.getMessage() + "' should mention "
                    + c[1]);
            assertArrayEquals(before, out, "output changed by a rejected call: " + e.getMessage());
        }
        assertEquals(12, cases.length);
    }
}
