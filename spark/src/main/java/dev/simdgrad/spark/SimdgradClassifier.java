package dev.simdgrad.spark;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Locale;

/**
 * A dense softmax classifier trained by deterministic, Byzantine-robust data-parallel SGD: the Spark ML estimator of
 * simdgrad, used like {@code MultilayerPerceptronClassifier} (a {@code features} vector column and a {@code label}
 * column of class indices 0..k-1 in; a {@link SimdgradClassificationModel} out, whose {@code transform} adds
 * {@code rawPrediction}, {@code probability} and {@code prediction}).
 *
 * <pre>{@code
 * SimdgradClassifier clf = new SimdgradClassifier()
 *         .setLayers(new int[]{784, 64, 10}).setActivation("relu")
 *         .setNumWorkers(8).setLocalSteps(4).setBatchSize(64).setLearningRate(0.1).setEpochs(5).setSeed(1)
 *         .setStrategy("winsorize:2").setAggregator("krum:2")
 *         .setByzantineWorkers(2).setAttack("alie");
 * SimdgradClassificationModel model = clf.fit(train);
 * }</pre>
 *
 * <p><b>Training.</b> W = {@code numWorkers} workers (default: the input's number of partitions), row i of the input
 * on worker i mod W. In synchronous rounds each worker runs {@code localSteps} K SGD steps (softmax cross-entropy,
 * batches of {@code batchSize} drawn as nn's {@code Trainer} draws them, the per-example {@code strategy} turning a
 * batch's per-example gradients into the step's gradient: {@link WorkerStrategy}); the driver combines the W results
 * with the {@code aggregator} ({@link WorkerAggregator}), after the {@code byzantineWorkers} f Byzantine workers'
 * results are replaced by the {@code attack} ({@link Attack}). K = 1 with the mean aggregator is synchronous
 * minibatch SGD over W batches; larger K is local SGD. Training runs {@code epochs} epochs of the largest shard.
 * Everything a fit draws comes from {@code seed}. The workers' SGD takes a {@code learningRateSchedule} over the
 * global step, {@code momentum} (each worker keeps its velocity across rounds), {@code nesterov} and
 * {@code weightDecay} ({@link WorkerOptimizer}).
 *
 * <p><b>Rounds.</b> {@code roundMode} chooses how rounds reach the workers: a Spark job per round, or one Spark
 * barrier job whose W tasks stay alive and exchange each round with the driver over TCP (in local mode the messages
 * go over TCP and the parameters are handed over in memory; tens of milliseconds of scheduling per round saved;
 * needs W task slots at once); {@code auto} (the default) takes the barrier job when the
 * cluster has the slots. The bits are the same.
 *
 * <p><b>Determinism.</b> The fitted parameters are a function of the rows' order, W and the params only: bitwise
 * the same for any number of executors, cores or input partitions, and when a task is retried (on executors of one
 * SIMD width; across widths as far as the kernels promise it: the Gram matrix of the distance-based per-example
 * strategies may differ in its last bits). With W = 1 they are
 * bitwise those of nn's {@code Trainer} with the same network, seed, strategy, batch size, dropLast and
 * {@code Sgd} (schedule, momentum, Nesterov, weight decay), for any K.
 *
 * <p><b>Errors before training</b> ({@link IllegalArgumentException} naming the thing): a missing or wrongly typed
 * column, a feature vector of another length than {@code layers[0]}, a missing or non-finite feature, a label that is
 * not a class of {@code layers[last]}, an empty worker, an aggregator not defined for W workers (Krum: W &gt;= 2f + 3,
 * Bulyan: W &gt;= 4f + 3, ...), f &gt; W, a strategy that cannot take a worker's batch size.
 *
 * <p><b>Checkpoints.</b> With {@code checkpointDir} set, the driver writes the parameters there every
 * {@code checkpointInterval} rounds (an atomic simdgrad model file, with the workers' velocities and the aggregator's
 * memory beside it when there are any), and a fit finding a checkpoint there resumes
 * from it, ending with the same bits as an uninterrupted fit (a fit that finds the final checkpoint of a finished fit
 * with the same settings returns its network at once). Checkpoints are named by a fingerprint of the settings, not of
 * the data: give each data set its own directory.
 */
public final class SimdgradClassifier
        extends ProbabilisticClassifier<Vector, SimdgradClassifier, SimdgradClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntArrayParam layers;
    private final Param<String> activation, strategy, aggregator, attack, checkpointDir, roundMode,
            learningRateSchedule;
    private final IntParam numWorkers, localSteps, batchSize, epochs, byzantineWorkers, checkpointInterval,
            aggregationBlocks;
    private final BooleanParam dropLast, nesterov;
    private final DoubleParam learningRate, momentum, weightDecay;
    private final LongParam seed;

    /** An estimator with a random uid and the default params. */
    public SimdgradClassifier() {
        this(Identifiable$.MODULE$.randomUID("simdgrad"));
    }

    /** An estimator with this uid and the default params (the constructor Spark ML's copy and load use). */
    public SimdgradClassifier(String uid) {
        this.uid = uid;   // before super(): the inherited params read uid() while they are built
        super();
        layers = new IntArrayParam(this, "layers", "widths n0 (the feature count), n1, ..., nL (the class count)");
        activation = new Param<>(this, "activation", "hidden activation: relu, tanh, softplus, gelu, identity");
        strategy = new Param<>(this, "strategy", "per-example strategy inside each worker: " + WorkerStrategy.KNOWN);
        aggregator = new Param<>(this, "aggregator", "cross-worker aggregator: " + WorkerAggregator.KNOWN);
        attack = new Param<>(this, "attack", "what the Byzantine workers send: " + Attack.KNOWN);
        checkpointDir = new Param<>(this, "checkpointDir", "driver-side directory for checkpoints; empty: none");
        roundMode = new Param<>(this, "roundMode", "how rounds reach the workers: auto (barrier when W tasks fit at"
                + " once, else job), job (a Spark job per round), barrier (one barrier job, rounds over a TCP channel)");
        numWorkers = new IntParam(this, "numWorkers", "W, the workers; 0: the input's number of partitions");
        localSteps = new IntParam(this, "localSteps", "K >= 1, SGD steps per worker per round");
        batchSize = new IntParam(this, "batchSize", "B >= 1, examples per local step");
        epochs = new IntParam(this, "epochs", "epochs of the largest shard (>= 1)");
        byzantineWorkers = new IntParam(this, "byzantineWorkers", "f, the workers whose results the attack replaces");
        checkpointInterval = new IntParam(this, "checkpointInterval", "rounds between checkpoints (>= 1)");
        dropLast = new BooleanParam(this, "dropLast", "skip each worker's last partial batch of an epoch");
        learningRate = new DoubleParam(this, "learningRate", "the SGD learning rate (> 0)");
        learningRateSchedule = new Param<>(this, "learningRateSchedule", "the learning rate over the global step: "
                + WorkerOptimizer.KNOWN);
        momentum = new DoubleParam(this, "momentum", "SGD momentum in [0, 1); each worker keeps its velocity across"
                + " rounds");
        nesterov = new BooleanParam(this, "nesterov", "Nesterov momentum (needs momentum > 0)");
        aggregationBlocks = new IntParam(this, "aggregationBlocks", "where the cross-worker aggregation runs: -1 auto"
                + " (the executors when W x P is too large for the driver), 0 the driver, B >= 1 the executors in B"
                + " coordinate blocks (every aggregator, momentum too; not with barrier rounds)");
        weightDecay = new DoubleParam(this, "weightDecay", "coupled L2 weight decay (>= 0)");
        seed = new LongParam(this, "seed", "seed of the initial parameters, batch orders and attacks");
        setDefault(activation, "relu");
        setDefault(strategy, "mean");
        setDefault(aggregator, "mean");
        setDefault(attack, "none");
        setDefault(checkpointDir, "");
        setDefault(roundMode, "auto");
        setDefault(numWorkers, 0);
        setDefault(localSteps, 1);
        setDefault(batchSize, 128);
        setDefault(epochs, 10);
        setDefault(byzantineWorkers, 0);
        setDefault(checkpointInterval, 10);
        setDefault(dropLast, false);
        setDefault(learningRate, 0.1);
        setDefault(learningRateSchedule, "constant");
        setDefault(momentum, 0.0);
        setDefault(nesterov, false);
        setDefault(weightDecay, 0.0);
        setDefault(aggregationBlocks, -1);
        setDefault(seed, 0L);
    }

    /** The unique id of this stage (shared by the models it fits, as in MLlib). */
    @Override
    public String uid() {
        return uid;
    }

    // --- params: Spark ML finds them through these public no-argument methods ---

    /** Widths n0, ..., nL: n0 the features' length, nL the number of classes (required). */
    public IntArrayParam layers() {
        return layers;
    }

    /**
     * How the synchronous rounds reach the workers (default auto): {@code job}, one Spark job per round;
     * {@code barrier}, one Spark barrier job per run of rounds (the whole fit, or the rounds between checkpoints) whose
     * W tasks stay alive and exchange each round with the driver over TCP, which needs W task slots at once;
     * {@code auto}, barrier when the cluster has W slots, else job. The fitted parameters are the same bits in every
     * mode.
     */
    public Param<String> roundMode() {
        return roundMode;
    }

    /** Hidden activation (default relu). */
    public Param<String> activation() {
        return activation;
    }

    /** Per-example strategy inside each worker (default mean), see {@link WorkerStrategy}. */
    public Param<String> strategy() {
        return strategy;
    }

    /** Cross-worker aggregator (default mean), see {@link WorkerAggregator}. */
    public Param<String> aggregator() {
        return aggregator;
    }

    /** Byzantine attack (default none), see {@link Attack}. */
    public Param<String> attack() {
        return attack;
    }

    /** Checkpoint directory on the driver (default empty: no checkpoints). */
    public Param<String> checkpointDir() {
        return checkpointDir;
    }

    /** W (default 0: the input's number of partitions). */
    public IntParam numWorkers() {
        return numWorkers;
    }

    /** K, local steps per round (default 1). */
    public IntParam localSteps() {
        return localSteps;
    }

    /** B, examples per local step (default 128). */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Epochs of the largest shard (default 10). */
    public IntParam epochs() {
        return epochs;
    }

    /** f, Byzantine workers (default 0). */
    public IntParam byzantineWorkers() {
        return byzantineWorkers;
    }

    /** Rounds between checkpoints (default 10). */
    public IntParam checkpointInterval() {
        return checkpointInterval;
    }

    /** Whether each worker skips its last partial batch (default false). */
    public BooleanParam dropLast() {
        return dropLast;
    }

    /** The SGD learning rate (default 0.1). */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** The seed (default 0). */
    public LongParam seed() {
        return seed;
    }

    // --- setters and getters ---

    /** Sets {@link #layers()}. */
    public SimdgradClassifier setLayers(int[] value) {
        set(layers, value.clone());
        return this;
    }

    /** The value of {@link #layers()} (its default when unset). */
    public int[] getLayers() {
        return getOrDefault(layers).clone();
    }

    /** Sets {@link #activation()}. */
    /**
     * Sets {@link #activation()}.
     *
     * @throws IllegalArgumentException for an unknown activation
     */
    public SimdgradClassifier setActivation(String value) {
        parseActivation(value);
        set(activation, value);
        return this;
    }

    /** The value of {@link #activation()} (its default when unset). */
    public String getActivation() {
        return getOrDefault(activation);
    }

    /**
     * Sets {@link #strategy()}.
     *
     * @throws IllegalArgumentException for an unknown or ill-formed strategy
     */
    public SimdgradClassifier setStrategy(String value) {
        WorkerStrategy.parse(value);
        set(strategy, value);
        return this;
    }

    /** The value of {@link #strategy()} (its default when unset). */
    public String getStrategy() {
        return getOrDefault(strategy);
    }

    /**
     * Sets {@link #aggregator()}.
     *
     * @throws IllegalArgumentException for an unknown or ill-formed aggregator
     */
    public SimdgradClassifier setAggregator(String value) {
        WorkerAggregator.parse(value);
        set(aggregator, value);
        return this;
    }

    /** The value of {@link #aggregator()} (its default when unset). */
    public String getAggregator() {
        return getOrDefault(aggregator);
    }

    /**
     * Sets {@link #attack()}.
     *
     * @throws IllegalArgumentException for an unknown or ill-formed attack
     */
    public SimdgradClassifier setAttack(String value) {
        Attack.parse(value);
        set(attack, value);
        return this;
    }

    /** The value of {@link #attack()} (its default when unset). */
    public String getAttack() {
        return getOrDefault(attack);
    }

    /** Sets {@link #checkpointDir()}. */
    public SimdgradClassifier setCheckpointDir(String value) {
        set(checkpointDir, value == null ? "" : value);
        return this;
    }

    /** The value of {@link #checkpointDir()} (its default when unset). */
    public String getCheckpointDir() {
        return getOrDefault(checkpointDir);
    }

    /** Sets {@link #numWorkers()}. */
    public SimdgradClassifier setNumWorkers(int value) {
        set(numWorkers, value);
        return this;
    }

    /** The value of {@link #numWorkers()} (its default when unset). */
    public int getNumWorkers() {
        return (Integer) getOrDefault(numWorkers);
    }

    /** Sets {@link #localSteps()}. */
    public SimdgradClassifier setLocalSteps(int value) {
        set(localSteps, value);
        return this;
    }

    /** The value of {@link #localSteps()} (its default when unset). */
    public int getLocalSteps() {
        return (Integer) getOrDefault(localSteps);
    }

    /** Sets {@link #batchSize()}. */
    public SimdgradClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** The value of {@link #batchSize()} (its default when unset). */
    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    /** Sets {@link #epochs()}. */
    public SimdgradClassifier setEpochs(int value) {
        set(epochs, value);
        return this;
    }

    /** The value of {@link #epochs()} (its default when unset). */
    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    /** Sets {@link #byzantineWorkers()}. */
    public SimdgradClassifier setByzantineWorkers(int value) {
        set(byzantineWorkers, value);
        return this;
    }

    /** The value of {@link #byzantineWorkers()} (its default when unset). */
    public int getByzantineWorkers() {
        return (Integer) getOrDefault(byzantineWorkers);
    }

    /** Sets {@link #checkpointInterval()}. */
    public SimdgradClassifier setCheckpointInterval(int value) {
        set(checkpointInterval, value);
        return this;
    }

    /** The value of {@link #checkpointInterval()} (its default when unset). */
    public int getCheckpointInterval() {
        return (Integer) getOrDefault(checkpointInterval);
    }

    /** Sets {@link #dropLast()}. */
    public SimdgradClassifier setDropLast(boolean value) {
        set(dropLast, value);
        return this;
    }

    /** The value of {@link #dropLast()} (its default when unset). */
    public boolean getDropLast() {
        return (Boolean) getOrDefault(dropLast);
    }

    /** Sets {@link #learningRate()}. */
    public SimdgradClassifier setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    /** The value of {@link #learningRate()} (its default when unset). */
    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    /** Sets {@link #seed()}. */
    public SimdgradClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    /**
     * The learning rate over the global step t, the same on every worker (default constant): {@code constant},
     * {@code step:factor:every} (η · factor^⌊t / every⌋), {@code cosine} or {@code cosine:minRate} (over all the
     * fit's steps).
     */
    public Param<String> learningRateSchedule() {
        return learningRateSchedule;
    }

    /**
     * SGD momentum μ in [0, 1) (default 0). Each worker keeps its own velocity from round to round (local momentum;
     * the driver holds the velocities between runs of rounds and writes them with checkpoints).
     */
    public DoubleParam momentum() {
        return momentum;
    }

    /** Nesterov momentum (default false; needs momentum &gt; 0). */
    public BooleanParam nesterov() {
        return nesterov;
    }

    /** Coupled L2 weight decay λ &gt;= 0 (default 0), added to each gradient as in {@code torch.optim.SGD}. */
    public DoubleParam weightDecay() {
        return weightDecay;
    }

    /** Sets {@link #learningRateSchedule()}. */
    public SimdgradClassifier setLearningRateSchedule(String value) {
        set(learningRateSchedule, value);
        return this;
    }

    /** The value of {@link #learningRateSchedule()} (its default when unset). */
    public String getLearningRateSchedule() {
        return getOrDefault(learningRateSchedule);
    }

    /** Sets {@link #momentum()}. */
    public SimdgradClassifier setMomentum(double value) {
        set(momentum, value);
        return this;
    }

    /** The value of {@link #momentum()} (its default when unset). */
    public double getMomentum() {
        return (Double) getOrDefault(momentum);
    }

    /** Sets {@link #nesterov()}. */
    public SimdgradClassifier setNesterov(boolean value) {
        set(nesterov, value);
        return this;
    }

    /** The value of {@link #nesterov()} (its default when unset). */
    public boolean getNesterov() {
        return (Boolean) getOrDefault(nesterov);
    }

    /** Sets {@link #weightDecay()}. */
    public SimdgradClassifier setWeightDecay(double value) {
        set(weightDecay, value);
        return this;
    }

    /** The value of {@link #weightDecay()} (its default when unset). */
    public double getWeightDecay() {
        return (Double) getOrDefault(weightDecay);
    }

    /**
     * Where the cross-worker aggregation runs (default -1, auto): 0 on the driver, which collects the W x P matrix;
     * B &gt;= 1 on the executors, in B coordinate blocks that a shuffle brings together (only for the coordinate-wise
     * aggregators, without momentum, in a job per round; see {@link ExecutorAggregation}); -1 on the executors when
     * the driver's two W x P matrices would take more than a quarter of its heap and the settings allow it. The bits
     * are the same wherever it runs.
     */
    public IntParam aggregationBlocks() {
        return aggregationBlocks;
    }

    /** Sets {@link #aggregationBlocks()}. */
    public SimdgradClassifier setAggregationBlocks(int value) {
        set(aggregationBlocks, value);
        return this;
    }

    /** The value of {@link #aggregationBlocks()} (its default when unset). */
    public int getAggregationBlocks() {
        return (Integer) getOrDefault(aggregationBlocks);
    }

    /** Sets {@link #roundMode()}. */
    public SimdgradClassifier setRoundMode(String value) {
        set(roundMode, value);
        return this;
    }

    /** The value of {@link #roundMode()} (its default when unset). */
    public String getRoundMode() {
        return getOrDefault(roundMode);
    }

    /** The value of {@link #seed()} (its default when unset). */
    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    /**
     * The architecture the params describe: widths {@code layers}, every hidden layer with {@code activation}, nn's
     * defaults otherwise (biases, He or Xavier initialization, standard parametrization).
     *
     * @throws IllegalArgumentException if layers is not set or invalid, or the activation unknown
     */
    public Architecture architecture() {
        if (!isDefined(layers)) {
            throw new IllegalArgumentException("param layers is not set: setLayers(new int[]{features, ..., classes})");
        }
        return DenseNetwork.builder().widths(getLayers()).activation(parseActivation(getActivation())).architecture();
    }

    private static Activation parseActivation(String name) {
        try {
            return Activation.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; known: relu, tanh, softplus, gelu,"
                    + " identity");
        }
    }

    /**
     * The settings of a fit on {@code inputPartitions} partitions, checked.
     *
     * @throws IllegalArgumentException naming the first param that is invalid or inconsistent with W
     */
    TrainingConfig config(int inputPartitions) {
        int w = getNumWorkers() > 0 ? getNumWorkers() : inputPartitions;
        String dir = getCheckpointDir();
        return new TrainingConfig(PortableArchitecture.of(architecture()), WorkerStrategy.parse(getStrategy()),
                WorkerAggregator.parse(getAggregator()), Attack.parse(getAttack()), getByzantineWorkers(), w,
                getLocalSteps(), getLearningRate(), new WorkerOptimizer(getLearningRateSchedule(),
                        (float) getMomentum(), getNesterov(), (float) getWeightDecay()), getBatchSize(), getDropLast(),
                getEpochs(), getSeed(), dir.isEmpty() ? null : dir, getCheckpointInterval(),
                RoundMode.parse(getRoundMode()), getAggregationBlocks());
    }

    /**
     * Trains on {@code dataset} (called by {@code fit}, which has checked the columns' types and cast the label to
     * double): see the class comment.
     *
     * @throws IllegalArgumentException for bad data or params, before the first round
     * @throws IllegalStateException    if training diverges
     */
    @Override
    public SimdgradClassificationModel train(Dataset<?> dataset) {
        InputRows rows = InputRows.of(dataset, getFeaturesCol(), getLabelCol());
        DataParallelTrainer.Outcome out = DataParallelTrainer.fit(rows, config(rows.partitions()));
        return new SimdgradClassificationModel(uid, out.net(), out.roundLoss(), out.byzantine());
    }

    /** A copy with the same uid and params, overridden by {@code extra}. */
    @Override
    public SimdgradClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The reader of saved estimators (Spark ML's default params format). */
    public static MLReader<SimdgradClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@code write().save(path)}. */
    public static SimdgradClassifier load(String path) {
        return read().load(path);
    }
}
