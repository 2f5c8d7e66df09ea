package dev.simdgrad.kernels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.internal.CpuCaches.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the caches from a sysfs tree (a copy of the Xeon's), and the fallback when it is missing or malformed. */
class CpuCachesTest {
    @Test
    void readsTheCachesFromSysfs(@TempDir Path dir) throws IOException {
        index(dir, 0, "1", "Data", "48K", "12", "0");
        index(dir, 1, "1", "Instruction", "32K", "8", "0");
        index(dir, 2, "2", "Unified", "2048K", "16", "0");
        index(dir, 3, "3", "Unified", "107520K", "15", "0-1");
        CpuCaches c = CpuCaches.read(dir);
        assertEquals(new Level(48 << 10, 12, 64, 1), c.l1());
        assertEquals(new Level(2 << 20, 16, 64, 1), c.l2());
        assertEquals(new Level(107520 << 10, 15, 64, 2), c.l3());
        assertEquals(dir.toString(), c.source());
            }

    @Test
    void fallsBackWhenSysfsIsMissingOrIncomplete(@TempDir Path dir) throws IOException {
        CpuCaches missing = CpuCaches.read(dir.resolve("absent"));
        assertEquals(CpuCaches.FALLBACK.l1(), missing.l1());
        assertTrue(missing.source().startsWith("defaults: "), missing.source());
        index(dir, 0, "1", "Data", "32K", "8", "0");
        CpuCaches noL2 = CpuCaches.read(dir);
        assertEquals(CpuCaches.FALLBACK.l2(), noL2.l2());
        assertTrue(noL2.source().contains("lists no L2"), noL2.source());
        index(dir, 2, "2", "Unified", "1M", "eight", "0");
        assertTrue(CpuCaches.read(dir).source().startsWith("defaults: "));
    }

    @Test
    void parsesSizesAndCpuLists() {
        assertEquals(48 << 10, CpuCaches.size("48K"));
        assertEquals(32 << 20, CpuCaches.size("32M"));
        assertEquals(4096, CpuCaches.size("4096"));
        assertEquals(1, CpuCaches.cpus("0"));
        assertEquals(2, CpuCaches.cpus("0-1"));
        assertEquals(8, CpuCaches.cpus("0-3,8-11"));
        assertEquals(3, CpuCaches.cpus("0,2,4"));
    }

    private static void index(Path dir, int i, String level, String type, String size, String ways, String shared)
            throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + i));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
        Files.writeString(d.resolve("ways_of_associativity"), ways + "\n");
        Files.writeString(d.resolve("coherency_line_size"), "64\n");
        Files.writeString(d.resolve("shared_cpu_list"), shared + "\n");
    }
}
