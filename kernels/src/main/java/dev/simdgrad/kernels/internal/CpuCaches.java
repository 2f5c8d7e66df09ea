package dev.simdgrad.kernels.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data caches of the CPU the kernels run on: size, associativity and line size of L1d, L2 and L3, as Linux
 * reports them under {@code /sys/devices/system/cpu/cpu0/cache/index*}, or {@link #FALLBACK} when they cannot be
 * read (another OS, a container hiding sysfs, a field missing or malformed). The SGEMM blocking is derived from it
 * ({@code BlockingModel}).
 *
 * @param l1     the level-1 data cache
 * @param l2     the level-2 (unified or data) cache
 * @param l3     the last level cache, or {@link #FALLBACK}'s when the CPU reports none
 * @param source where the numbers come from, for {@code ./simdgrad info}
 */
public record CpuCaches(Level l1, Level l2, Level l3, String source) {
    /** Where Linux describes cpu0's caches. */
    public static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /**
     * Used when sysfs cannot be read: small enough for every x86-64 and AArch64 server core of the last decade (32 KiB
     * 8-way L1d, 512 KiB 8-way L2, a 2 MiB share of a 16-way L3), so the blocks derived from it fit the real caches,
     * at some cost in speed on larger ones.
     */
    public static final CpuCaches FALLBACK = new CpuCaches(new Level(32 << 10, 8, 64, 1),
            new Level(512 << 10, 8, 64, 1), new Level(2 << 20, 16, 64, 1), "defaults");

    /**
     * One cache level.
     *
     * @param bytes     capacity in bytes
     * @param ways      associativity (lines per set)
     * @param lineBytes line size in bytes
     * @param sharedBy  how many logical CPUs share it (1 for a private cache)
     */
    public record Level(int bytes, int ways, int lineBytes, int sharedBy) {
        public Level {
            if (bytes <= 0 || ways <= 0 || lineBytes <= 0 || sharedBy <= 0 || bytes % (ways * lineBytes) != 0) {
                throw new IllegalArgumentException("cache level: bytes " + bytes + ", ways " + ways + ", line "
                        + lineBytes + ", shared by " + sharedBy + " (all positive, bytes a multiple of ways x line)");
            }
        }

        /** Bytes of one way: sets x line size. */
        public int wayBytes() {
            return bytes / ways;
        }

        @Override
        public String toString() {
            String size = bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
            return size + " " + ways + "-way" + (sharedBy > 1 ? " shared by " + sharedBy : "");
        }
    }

    /** The caches of this machine, read once from {@link #SYSFS}, or {@link #FALLBACK}. */
    public static CpuCaches detect() {
        return read(SYSFS);
    }

    /**
     * Reads a sysfs cache directory ({@code index0}, {@code index1}, ... each with {@code level}, {@code type},
     * {@code size}, {@code ways_of_associativity}, {@code coherency_line_size}, {@code shared_cpu_list}). Returns
     * {@link #FALLBACK}, with the reason in its source, when L1d or L2 is missing or any of their fields does not
     * parse; a missing L3 takes the fallback's.
     */
    public static CpuCaches read(Path dir) {
        Level l1 = null, l2 = null, l3 = null;
        try (var entries = Files.list(dir)) {
            for (Path index : entries.sorted().toList()) {
                if (!index.getFileName().toString().startsWith("index")) {
                    continue;
                }
                String type = text(index.resolve("type"));
                if (type.equals("Instruction")) {
                    continue;
                }
                int level = Integer.parseInt(text(index.resolve("level")));
                Level l = new Level(size(text(index.resolve("size"))),
                        Integer.parseInt(text(index.resolve("ways_of_associativity"))),
                        Integer.parseInt(text(index.resolve("coherency_line_size"))),
                        cpus(text(index.resolve("shared_cpu_list"))));
                switch (level) {
                    case 1 -> l1 = l;
                    case 2 -> l2 = l;
                    case 3 -> l3 = l;
                    default -> { } // an L4 (eDRAM) does not change the blocking
                }
            }
        } catch (IOException | RuntimeException e) {
            return fallback(dir + " unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (l1 == null || l2 == null) {
            return fallback(dir + " lists no " + (l1 == null ? "L1d" : "L2"));
        }
        return new CpuCaches(l1, l2, l3 == null ? FALLBACK.l3 : l3, dir.toString());
    }

    private static CpuCaches fallback(String why) {
        return new CpuCaches(FALLBACK.l1, FALLBACK.l2, FALLBACK.l3, "defaults: " + why);
    }

    private static String text(Path p) throws IOException {
        return Files.readString(p).trim();
    }

    /** "48K", "2048K", "32M" or a plain byte count. */
    static int size(String s) {
        String t = s.toUpperCase(Locale.ROOT);
        long unit = t.endsWith("K") ? 1 << 10 : t.endsWith("M") ? 1 << 20 : t.endsWith("G") ? 1 << 30 : 1;
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        return Math.toIntExact(Long.parseLong(digits) * unit);
    }

    /** The number of CPUs in a list such as "0", "0-1" or "0-3,8-11". */
    static int cpus(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
        }
        return n;
    }

    /** The three levels without the source: what a tuning file must match to apply to this machine. */
    public String signature() {
        return "L1d " + l1 + ", L2 " + l2 + ", L3 " + l3;
    }

    @Override
    public String toString() {
        return signature() + " (" + source + ")";
    }
}
