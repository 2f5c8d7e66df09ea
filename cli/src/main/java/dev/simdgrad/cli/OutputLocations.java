package dev.simdgrad.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks, before a command does any work, that the places it will write to can be written: an output directory
 * ({@code train --out}, {@code reproduce --out}), a file whose missing parent directories the command creates
 * ({@code bench --json/--chart}, {@code verify --json}), and a file that goes into an existing directory
 * ({@code train --save}). A problem is a usage error (exit 2) naming the option and the path, so that a run of
 * minutes or hours is never lost to an output it could not write at the end.
 *
 * <p>Nothing is created here: an existing path must be of the right kind and writable; for a path that does not
 * exist yet, its nearest existing ancestor must be a writable directory (not a file, which the path would lie under).
 * Writability is the operating system's answer ({@link Files#isWritable}); for root it is true on any writable file
 * system, whatever the permission bits.
 */
final class OutputLocations {
    private OutputLocations() {
    }

    /** {@code dir} is an existing writable directory, or can be created as one. */
    static void directory(CommandSpec spec, String option, Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) {
                throw error(spec, option, dir, "is a file, not a directory");
            }
            if (!Files.isWritable(p)) {
                throw error(spec, option, dir, "is a directory that cannot be written");
            }
            return;
        }
        creatable(spec, option, dir, p);
    }

    /**
     * {@code file} can be written: not a directory, writable if it exists; its parent directories exist or (with
     * {@code createParents}) can be created.
     */
    static void file(CommandSpec spec, String option, Path file, boolean createParents) {
        Path p = file.toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            throw error(spec, option, file, "is a directory, not a file");
        }
        if (Files.exists(p) && !Files.isWritable(p)) {
            throw error(spec, option, file, "cannot be written");
        }
        Path parent = p.getParent();
        if (parent == null) {
            return;
        }
        if (Files.isDirectory(parent)) {
            if (!Files.isWritable(parent)) {
                throw error(spec, option, file, "is in the directory " + parent + ", which cannot be written");
            }
            return;
        }
        if (!createParents) {
            throw error(spec, option, file, Files.exists(parent) ? "lies under " + parent + ", which is a file"
                    : "is in the directory " + parent + ", which does not exist");
        }
        creatable(spec, option, file, p);
    }

    /** {@code p} does not exist: its nearest existing ancestor must be a writable directory. */
    private static void creatable(CommandSpec spec, String option, Path given, Path p) {
        for (Path a = p.getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                if (!Files.isDirectory(a)) {
                    throw error(spec, option, given, "lies under " + a + ", which is a file");
                }
                if (!Files.isWritable(a)) {
                    throw error(spec, option, given, "would be created in " + a + ", which cannot be written");
                }
                return;
            }
        }
    }

    private static ParameterException error(CommandSpec spec, String option, Path path, String problem) {
        return new ParameterException(spec.commandLine(), option + ": " + path + " " + problem);
    }
}
