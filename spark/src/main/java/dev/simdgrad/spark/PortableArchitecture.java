package dev.simdgrad.spark;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.LayerSpec;
import dev.simdgrad.nn.Parametrization;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Architecture} in a form Java serialization can ship to the executors (nn's records are not
 * {@link Serializable}): per layer its inputs, outputs, activation, bias, frozen flag and initialization, plus the
 * parametrization and the symmetric-initialization flag. {@link #architecture()} rebuilds the exact same
 * architecture.
 */
record PortableArchitecture(int[] inputs, int[] outputs, Activation[] activations, boolean[] bias, boolean[] frozen,
                            Init[] inits, Parametrization parametrization, boolean symmetric) implements Serializable {

    static PortableArchitecture of(Architecture a) {
        int l = a.layerCount();
        int[] in = new int[l], out = new int[l];
        Activation[] act = new Activation[l];
        boolean[] bias = new boolean[l], frozen = new boolean[l];
        Init[] init = new Init[l];
        for (int i = 0; i < l; i++) {
            LayerSpec s = a.layer(i);
            in[i] = s.inputs();
            out[i] = s.outputs();
            act[i] = s.activation();
            bias[i] = s.bias();
            frozen[i] = s.frozen();
            init[i] = s.init();
        }
        return new PortableArchitecture(in, out, act, bias, frozen, init, a.parametrization(), a.symmetric());
    }

    Architecture architecture() {
        List<LayerSpec> layers = new ArrayList<>(inputs.length);
        for (int i = 0; i < inputs.length; i++) {
            layers.add(new LayerSpec(inputs[i], outputs[i], activations[i], bias[i], frozen[i], inits[i]));
        }
        return new Architecture(layers, parametrization, symmetric);
    }
}
