package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code --data} directory without the data files is a usage error: exit 2 before anything is written. */
class MissingDataTest {
    @TempDir
    Path dir;

    @Test
    void theTrainCommandExitsWithTwoForAnEmptyDirectory() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty2"));
        CliRun r = CliRun.of("train", "--data", empty.toString(), "--out", dir.resolve("out").toString());
        assertTrue(r.exitCode() == 2, r.err());
        assertTrue(r.firstErrorLine().contains("lacks train-images-idx3-ubyte[.gz]"), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }
}
