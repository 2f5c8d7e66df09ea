package dev.simdgrad.cli;

import dev.simdgrad.experiments.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files of a {@code train} run: {@code metrics.csv} (one line per epoch), {@code metrics.json} (the
 * configuration and the epochs), {@code accuracy.png} (train, clean, corrupted and test accuracy per epoch) and
 * {@code loss.png} (training and test loss).
 */
final class TrainReport {
    private TrainReport() {
    }

    /** Writes the files into {@code dir} and returns their paths. */
    static List<Path> write(Path dir, Map<String, Object> config, List<TrainingRun.Epoch> epochs) throws IOException {
        List<String> header = List.of("epoch", "train_loss", "train_accuracy", "clean_accuracy",
                "corrupted_accuracy", "test_loss", "test_accuracy", "m_coherence", "distance_from_init", "seconds");
        List<List<?>> rows = new ArrayList<>();
        for (TrainingRun.Epoch e : epochs) {
            rows.add(List.of(e.epoch(), e.trainLoss(), e.trainAccuracy(), e.cleanAccuracy(), e.corruptedAccuracy(),
                    e.testLoss(), e.testAccuracy(), e.mCoherence(), e.distanceFromInit(), e.seconds()));
        }
        List<Path> files = new ArrayList<>();
        files.add(ResultFiles.csv(dir.resolve("metrics.csv"), header, rows));
        files.add(ResultFiles.json(dir.resolve("metrics.json"), Map.of("config", config, "epochs", epochs)));
        double[] x = epochs.stream().mapToDouble(TrainingRun.Epoch::epoch).toArray();
        files.add(new LineChart("Accuracy per epoch", "epoch", "accuracy")
                .series("train (training labels)", x, epochs.stream().mapToDouble(TrainingRun.Epoch::trainAccuracy)
                        .toArray())
                .series("train, clean examples", x, epochs.stream().mapToDouble(TrainingRun.Epoch::cleanAccuracy)
                        .toArray())
                .series("train, corrupted examples", x, epochs.stream()
                        .mapToDouble(TrainingRun.Epoch::corruptedAccuracy).toArray())
                .series("test", x, epochs.stream().mapToDouble(TrainingRun.Epoch::testAccuracy).toArray())
                .write(dir.resolve("accuracy.png")));
        files.add(new LineChart("Loss per epoch", "epoch", "loss")
                .series("train (minibatch mean)", x, epochs.stream().mapToDouble(TrainingRun.Epoch::trainLoss)
                        .toArray())
                .series("test", x, epochs.stream().mapToDouble(TrainingRun.Epoch::testLoss).toArray())
                .write(dir.resolve("loss.png")));
        return files;
    }
}
