package dev.simdgrad.experiments;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@code --data} directory that is missing, empty or incomplete is a usage error that names what it lacks. */
class DataSourceTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryIsReportedLikeAMissingOneNamingTheFiles() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        var e = assertThrows(DataSource.MissingDataException.class,
                () -> DataSource.load(empty, 10, 10));
        String m = e.getMessage();
        assertTrue(m.contains(empty.toAbsolutePath().toString()), m);
        for (String f : new String[] {"train-images-idx3-ubyte[.gz]", "train-labels-idx1-ubyte[.gz]",
                "t10k-images-idx3-ubyte[.gz]", "t10k-labels-idx1-ubyte[.gz]"}) {
            assertTrue(m.contains("lacks") && m.contains(f), m);
        }
        assertFalse(m.contains("\n"), "one line: " + m);

        var missing = assertThrows(DataSource.MissingDataException.class,
                () -> DataSource.load(dir.resolve("nope"), 10, 10));
        assertTrue(missing.getMessage().contains("looked at " + dir.resolve("nope").toAbsolutePath()),
                missing.getMessage());
    }

    @Test
    void anIncompleteDirectoryNamesOnlyTheMissingFiles() throws Exception {
        Path d = Files.createDirectories(dir.resolve("partial"));
        Files.write(d.resolve("train-images-idx3-ubyte.gz"), new byte[] {1});
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), new byte[] {1});
        var e = assertThrows(DataSource.MissingDataException.class, () -> DataSource.load(d, 10, 10));
        String m = e.getMessage();
        assertTrue(m.contains("lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] "), m);
    }
}
