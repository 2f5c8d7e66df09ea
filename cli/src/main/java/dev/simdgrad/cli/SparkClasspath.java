package dev.simdgrad.cli;

/**
 * Whether the Spark commands ({@code reproduce byzantine}, {@code bench spark-mllib}) can run: simdgrad.jar leaves
 * Spark and the spark module out, so that the quick start needs neither; the launcher adds them to the class path
 * for these commands. Checked before any class that uses Spark is loaded, so a plain {@code java -jar} run gets one
 * line saying how to run the command instead of a {@link NoClassDefFoundError}.
 */
final class SparkClasspath {
    /** A class of Spark SQL and one of our spark module: both must be loadable. */
    static final String[] REQUIRED = {"org.apache.spark.sql.SparkSession",
        "dev.simdgrad.spark.byzantine.ByzantineRobustness"};

    private SparkClasspath() {
    }

    /** Null if every required class loads from {@code loader}, else the first that does not. */
    static String missing(ClassLoader loader) {
        for (String name : REQUIRED) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return name;
            }
        }
        return null;
    }

    /** Null if the command can run, else the one-line error for {@code command} (e.g. "reproduce byzantine"). */
    static String problem(String command) {
        return problem(command, SparkClasspath.class.getClassLoader());
    }

    /** {@link #problem(String)} as seen from {@code loader}. */
    static String problem(String command, ClassLoader loader) {
        String m = missing(loader);
        return m == null ? null : "simdgrad " + command + ": needs Spark on the class path (" + m + " not found);"
                + " run it through the launcher, ./simdgrad " + command + ", which adds the spark module and Spark's"
                + " jars from the Maven repository";
    }
}
