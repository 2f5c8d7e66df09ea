package dev.simdgrad.cli;

import java.util.List;
import org.openjdk.jmh.annotations.Param;

/** The values a JMH {@code @Param} field declares, so that the CLI's defaults cannot drift from the benchmark. */
final class JmhParams {
    private JmhParams() {
    }

    static List<String> of(Class<?> state, String field) {
        try {
            return List.of(state.getField(field).getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(state.getName() + " has no @Param " + field, e);
        }
    }
}
