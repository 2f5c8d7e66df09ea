package dev.simdgrad.nn.io;

import java.io.IOException;

/**
 * A model file that is corrupt, truncated or longer than its header says, of an unknown version or with unknown flag
 * bits, or not the model the caller expected.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }
}
