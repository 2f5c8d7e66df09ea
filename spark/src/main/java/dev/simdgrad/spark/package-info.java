/**
 * Deterministic, Byzantine-robust data-parallel training of simdgrad networks on Apache Spark, as a Spark ML
 * estimator ({@link dev.simdgrad.spark.SimdgradClassifier}) and model
 * ({@link dev.simdgrad.spark.SimdgradClassificationModel}).
 *
 * <p>Training runs in synchronous rounds: the driver broadcasts the parameters, each of the W workers (one partition
 * of the training data each) runs K local SGD steps on its shard with a per-example strategy of
 * {@code dev.simdgrad.nn.strategy}, and the driver combines the W results with a cross-worker aggregator of
 * {@code dev.simdgrad.kernels.Aggregate} ({@link dev.simdgrad.spark.WorkerAggregator}). f workers can be made
 * Byzantine ({@link dev.simdgrad.spark.Attack}) for experiments. Same data order, W and seed: same bits, whatever the
 * number of executors or cores.
 *
 * <p>Beside the estimator: {@link dev.simdgrad.spark.LockstepFits} trains many arms that differ only in aggregator,
 * attack and f in one set of Spark jobs (for robustness grids; {@code .byzantine} reproduces Yin et al. 2018 with it),
 * {@link dev.simdgrad.spark.MllibBenchmark} times the estimator against MLlib's multilayer perceptron, and
 * {@link dev.simdgrad.spark.LocalSession} opens the quiet local-mode session the command line uses.
 */
package dev.simdgrad.spark;
