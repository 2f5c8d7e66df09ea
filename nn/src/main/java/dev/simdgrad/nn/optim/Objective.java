package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.data.Batch;

/**
 * What a training step descends: given the network at θ and a batch, the gradient to follow. The plain objective is
 * the loss itself ({@link LossGradient}); the regularized ones change it: gradient regularization
 * L + (γ/2)‖∇L‖² ({@link DoubleBackpropGR}, {@link ForwardDifferenceGR}, {@link BackwardDifferenceGR}),
 * sharpness-aware minimization ({@link Sam}) and {@link Flooding}.
 *
 * <p>Implementations own their workspaces (created on first use for a network shape and batch size, reused after)
 * and are not thread-safe. They never change the network's parameters: perturbed evaluations use a private copy.
 */
public interface Objective {

    /**
     * Writes the step gradient at the network's current parameters into {@code gradient[0 .. net.trainableCount())}.
     *
     * @return the mean loss L(θ) on the batch at the current parameters (before any perturbation)
     */
    double gradient(DenseNetwork net, Batch batch, float[] gradient);
}
